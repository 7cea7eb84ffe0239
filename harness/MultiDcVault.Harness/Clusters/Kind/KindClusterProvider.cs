using MultiDcVault.Harness.Infrastructure.Docker;
using Microsoft.Extensions.Logging;
using MultiDcVault.Harness.Clusters.Docker;
using MultiDcVault.Harness.Infrastructure.Kubernetes;
using MultiDcVault.Harness.Infrastructure.Processes;
using MultiDcVault.Harness.Planning;

namespace MultiDcVault.Harness.Clusters.Kind;

/// <summary>kind clusters on the session's Docker network, each with its kubeconfig in the work directory.</summary>
/// <param name="nodeImage">The kindest/node image every cluster runs.</param>
/// <param name="wait">kind's own `--wait` for the control plane.</param>
internal sealed class KindClusterProvider(
    KindCli kind,
    IEnvironmentDocker docker,
    IProcessRunner runner,
    string workDirectory,
    string nodeImage,
    TimeSpan wait,
    ILoggerFactory loggerFactory) : IClusterProvider
{
    /// <summary>Label kind puts on every node container (value: the cluster name).</summary>
    public const string ClusterLabel = "io.x-k8s.kind.cluster";

    public string Name => "kind";

    public KubeTarget Target(ClusterIdentity cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        return new KubeTarget(Path.Combine(workDirectory, "kube", cluster.KubeconfigFileName), cluster.KindContext);
    }

    public Task CreateAsync(ClusterIdentity cluster, string configPath, string network, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var target = Target(cluster);
        Directory.CreateDirectory(Path.GetDirectoryName(target.KubeconfigPath)!);
        return kind.CreateClusterAsync(cluster.Name, configPath, nodeImage, target.KubeconfigPath, wait, network, cancellationToken);
    }

    public Task DeleteAsync(ClusterIdentity cluster, string kubeconfigPath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        return kind.DeleteClusterAsync(cluster.Name, kubeconfigPath, cancellationToken);
    }

    public Task<IReadOnlyList<KindNodeContainer>> FindNodesAsync(string cluster, CancellationToken cancellationToken) =>
        docker.FindKindNodesAsync(cluster, cancellationToken);

    public IClusterImageLoader CreateImageLoader(string archiveDirectory) =>
        new ImageLoader(kind, runner, docker, archiveDirectory, loggerFactory.CreateLogger<ImageLoader>());

    public Task ExportLogsAsync(string cluster, string directory, CancellationToken cancellationToken) =>
        kind.ExportLogsAsync(cluster, directory, cancellationToken);

    /// <summary>Node containers of the harness's sessions that carry kind's cluster label, grouped by cluster.</summary>
    public async Task<IReadOnlyList<LeftoverCluster>> FindLeftoverClustersAsync(CancellationToken cancellationToken)
    {
        var clusters = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        var owners = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var container in await docker.FindAnySessionContainersAsync(cancellationToken))
        {
            if (!container.Labels.TryGetValue(ClusterLabel, out var cluster) || cluster.Length == 0)
            {
                continue;
            }

            // Found only through a labelled network: ours only when that network names the cluster (a person's own
            // `kind create cluster` on the same network is not).
            if (!container.Labels.ContainsKey(HarnessLabels.Session) && !HarnessLabels.NamesCluster(container.OwnerLabels, cluster))
            {
                continue;
            }

            if (!clusters.TryGetValue(cluster, out var paused))
            {
                clusters[cluster] = paused = [];
            }

            owners.TryAdd(cluster, container.OwnerLabels);

            if (container.Paused)
            {
                paused.Add(container.Id);
            }
        }

        return [.. clusters.Select(c => new LeftoverCluster(c.Key, c.Value) { OwnerLabels = owners[c.Key] })];
    }

    public async Task DeleteLeftoverAsync(string cluster, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(cluster);

        // kind edits the kubeconfig it is given (default ~/.kube/config); a throw-away file keeps the user's untouched.
        var kubeconfig = Path.Combine(Path.GetTempPath(), $"multidc-down-{Guid.NewGuid():N}.kubeconfig");
        try
        {
            await kind.DeleteClusterAsync(cluster, kubeconfig, cancellationToken);
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }
}
