namespace MultiDcVault.Harness.Topology;

/// <summary>Everything decided before anything is created: options, network and per-cluster plans.</summary>
public sealed record EnvironmentPlan(
    MultiDcOptions Options,
    NetworkLayout Network,
    IReadOnlyList<ClusterPlan> Clusters)
{
    public ClusterPlan Leader => Clusters.Single(c => c.Role == ClusterRole.Leader);

    public IEnumerable<ClusterPlan> Followers => Clusters.Where(c => c.Role == ClusterRole.Follower);
}
