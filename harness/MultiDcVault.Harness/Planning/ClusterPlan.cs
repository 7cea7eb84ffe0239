namespace MultiDcVault.Harness.Planning;

/// <summary>The plan for one datacenter (one kind cluster).</summary>
/// <param name="Name">Cluster name: kind cluster name, Vault CR name suffix and Raft node_id.</param>
/// <param name="Role">Leader (bootstrap) or follower.</param>
/// <param name="Index">Position in the cluster list, 0 for the leader.</param>
/// <param name="AddressPools">Exact strings for MetalLB spec.addresses (IPv4 range first, then IPv6 if dual-stack).</param>
internal sealed record ClusterPlan(
    string Name,
    ClusterRole Role,
    int Index,
    IReadOnlyList<string> AddressPools)
{
    /// <summary>Every name derived from <see cref="Name"/>.</summary>
    public ClusterIdentity Identity => new(Name);
}
