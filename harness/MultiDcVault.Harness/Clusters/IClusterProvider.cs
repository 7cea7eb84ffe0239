using MultiDcVault.Harness.Clusters.Docker;
using MultiDcVault.Harness.Infrastructure.Kubernetes;
using MultiDcVault.Harness.Planning;

namespace MultiDcVault.Harness.Clusters;

/// <summary>
/// How a datacenter's Kubernetes cluster comes and goes: the seam the workflows talk to. kind is behind it
/// today (<c>Clusters/Kind</c>); another distribution, or clusters that already exist, is one more folder.
/// </summary>
internal interface IClusterProvider
{
    /// <summary>Short name used in step names and messages ("kind").</summary>
    string Name { get; }

    /// <summary>The cluster's own kubeconfig file and context (never ~/.kube/config).</summary>
    KubeTarget Target(ClusterIdentity cluster);

    /// <summary>Creates the cluster on <paramref name="network"/> from its rendered config, writing only <see cref="Target"/>'s file.</summary>
    Task CreateAsync(ClusterIdentity cluster, string configPath, string network, CancellationToken cancellationToken);

    /// <summary>Deletes the cluster; its kubeconfig file goes with it.</summary>
    Task DeleteAsync(ClusterIdentity cluster, string kubeconfigPath, CancellationToken cancellationToken);

    /// <summary>The cluster's node containers and their addresses; empty when the cluster does not exist.</summary>
    Task<IReadOnlyList<KindNodeContainer>> FindNodesAsync(string cluster, CancellationToken cancellationToken);

    /// <summary>A loader for one up; images must be on the host first.</summary>
    IClusterImageLoader CreateImageLoader(string archiveDirectory);

    /// <summary>The cluster's node logs, written into <paramref name="directory"/> (diagnostics bundles).</summary>
    Task ExportLogsAsync(string cluster, string directory, CancellationToken cancellationToken);

    /// <summary>
    /// The clusters any session of the harness left on this engine (down --all), sorted by name. Found by
    /// what the harness labelled, never by name alone, so clusters of other tools are not among them.
    /// </summary>
    Task<IReadOnlyList<LeftoverCluster>> FindLeftoverClustersAsync(CancellationToken cancellationToken);

    /// <summary>Deletes a cluster whose kubeconfig file is unknown (a leftover), never touching the user's kubeconfig.</summary>
    Task DeleteLeftoverAsync(string cluster, CancellationToken cancellationToken);
}

/// <summary>A cluster left behind by some session; <paramref name="PausedNodes"/> are node containers an outage fault paused.</summary>
internal sealed record LeftoverCluster(string Name, IReadOnlyList<string> PausedNodes)
{
    /// <summary>The labels that say whose the cluster is (those of the labelled network its nodes sit on); empty when unknown.</summary>
    public IReadOnlyDictionary<string, string> OwnerLabels { get; init; } = new Dictionary<string, string>();
}
