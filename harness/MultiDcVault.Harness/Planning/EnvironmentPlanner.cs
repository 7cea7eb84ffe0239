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

    /// <summary>
    /// Existing clusters: no network, no pools; the datacenters are the kubeconfigs' (or contexts') in order, the
    /// first the Raft bootstrap leader. Reads nothing and contacts nothing: the binder already parsed the files.
    /// </summary>
    /// <exception cref="OptionsValidationException">The options are not usable, or not for existing clusters.</exception>
    public static EnvironmentPlan CreateExisting(MultiDcOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        MultiDcOptionsValidator.ThrowIfInvalid(options);
        if (options.Provider != ClusterProvider.Existing || options.ExistingDatacenters.Count != options.ClusterNames.Count)
        {
            throw new OptionsValidationException(["an existing-clusters plan needs --provider existing and one kubeconfig or context per datacenter"]);
        }

        var clusters = options.ClusterNames
            .Select((name, index) => new ClusterPlan(name, index == 0 ? ClusterRole.Leader : ClusterRole.Follower, index, []))
            .ToList();
        return new EnvironmentPlan(options, new NetworkLayout(string.Empty, [], []), clusters);
    }
}
