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
}
