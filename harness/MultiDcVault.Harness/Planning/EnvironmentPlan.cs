using MultiDcVault.Harness.Configuration;

namespace MultiDcVault.Harness.Planning;

/// <summary>Everything decided before anything is created: options, network and per-cluster plans.</summary>
internal sealed record EnvironmentPlan(
    MultiDcOptions Options,
    NetworkLayout Network,
    IReadOnlyList<ClusterPlan> Clusters)
{
    /// <summary>
    /// The central Vault's fixed IPv4 on the shared network (every in-cluster seal stanza names it, so a
    /// restart must not move it); null when the network has no IPv4 subnet or no free address for it.
    /// </summary>
    public string? CentralVaultAddress { get; init; }

    public ClusterPlan Leader => Clusters.Single(c => c.Role == ClusterRole.Leader);

    public IEnumerable<ClusterPlan> Followers => Clusters.Where(c => c.Role == ClusterRole.Follower);
}
