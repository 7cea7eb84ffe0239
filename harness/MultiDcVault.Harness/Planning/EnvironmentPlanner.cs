using MultiDcVault.Harness.Configuration;

namespace MultiDcVault.Harness.Planning;

/// <summary>Turns validated options and the real network into the plan everything else follows.</summary>
internal static class EnvironmentPlanner
{
    /// <summary>
    /// The first cluster is the Raft bootstrap leader, the rest follow, in the order given;
    /// each gets its MetalLB pools from <see cref="SubnetPlanner"/>.
    /// </summary>
    /// <exception cref="OptionsValidationException">The options are not usable.</exception>
    /// <exception cref="SubnetPlanningException">The network cannot hold the pools.</exception>
    public static EnvironmentPlan Create(MultiDcOptions options, NetworkLayout network)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(network);
        MultiDcOptionsValidator.ThrowIfInvalid(options);
        if (!string.Equals(options.NetworkName, network.Name, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"The network layout describes '{network.Name}' but the options use network '{options.NetworkName}'; " +
                "inspect the network the options name.",
                nameof(network));
        }

        var pools = SubnetPlanner.Plan(network, options.ClusterNames, options.PoolSize);
        var clusters = pools
            .Select((pool, index) => new ClusterPlan(
                pool.ClusterName,
                index == 0 ? ClusterRole.Leader : ClusterRole.Follower,
                index,
                pool.AddressPools))
            .ToList();
        return new EnvironmentPlan(options, network, clusters) { CentralVaultAddress = SubnetPlanner.CentralVaultAddress(network, pools) };
    }
}
