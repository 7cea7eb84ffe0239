using MultiDcVault.Harness.Clusters.Docker;
using MultiDcVault.Harness.Planning;
using Microsoft.Extensions.Logging;
using MultiDcVault.Harness.Clusters.Kind;
using MultiDcVault.Harness.Clusters;
using MultiDcVault.Harness.Components.MetalLb;
using MultiDcVault.Harness.Components.Operator;
using MultiDcVault.Harness.Components.Vault;
using MultiDcVault.Harness.Configuration;
using MultiDcVault.Harness.Diagnostics;
using MultiDcVault.Harness.Environment.State;
using MultiDcVault.Harness.Infrastructure.Helm;
using MultiDcVault.Harness.Infrastructure.Kubernetes;
using MultiDcVault.Harness.Infrastructure.Processes;
using MultiDcVault.Harness.Planning.Manifests;

namespace MultiDcVault.Harness.Environment;

/// <summary>The collaborators up, down, attach and status share, built once per environment.</summary>
internal sealed class EnvironmentParts
{
    public EnvironmentParts(MultiDcOptions options, EnvironmentServices services, EnvironmentPorts ports)
    {
        Options = options;
        Services = services;
        Ports = ports;
        Time = services.TimeProvider;
        Settings = ports.Settings;
        Clusters = CreateClusterProvider(options, services, ports.Runner, ports.Docker, ports.Kind, ports.Settings.KindWait);
        Kubectl = new KubectlCli(ports.Runner, ports.Launcher, ports.Kubectl);
        KubeApi = new KubernetesApi(new KubernetesApiOptions { PollInterval = ports.Settings.PollInterval }, Time);
        Kubernetes = ports.Kubernetes ?? KubeApi;
        Helm = new HelmCli(ports.Runner);
        Renderer = new ManifestRenderer();
        Store = new EnvironmentStateStore(options.WorkDirectory);
        MetalLb = new MetalLbInstaller(Kubernetes, Settings, Time, services.LoggerFactory.CreateLogger<MetalLbInstaller>());
        Operator = new OperatorInstaller(Helm, Settings);
        Vaults = new VaultDeployer(Kubernetes, Renderer, Settings, Time);
        Images = ClusterImages.For(options);
        Diagnostics = services.DiagnosticsWriter ?? new MinimalDiagnosticsWriter(Time);
        Logger = services.LoggerFactory.CreateLogger("MultiDcVault.Orchestration");
    }

    /// <summary>The one place that picks the cluster distribution (kind) and builds its provider.</summary>
    public static IClusterProvider CreateClusterProvider(
        MultiDcOptions options, EnvironmentServices services, IProcessRunner runner, IEnvironmentDocker docker, KindCliOptions kind, TimeSpan wait) =>
        new KindClusterProvider(
            new KindCli(runner, kind, services.TimeProvider, services.LoggerFactory.CreateLogger<KindCli>()),
            docker,
            runner,
            options.WorkDirectory,
            options.KindNodeImage,
            wait,
            services.LoggerFactory);

    public MultiDcOptions Options { get; }

    public EnvironmentServices Services { get; }

    public EnvironmentPorts Ports { get; }

    public TimeProvider Time { get; }

    public UpSettings Settings { get; }

    /// <summary>How the datacenters' clusters are created, found, loaded with images and deleted.</summary>
    public IClusterProvider Clusters { get; }

    public KubectlCli Kubectl { get; }

    /// <summary>The Kubernetes API of each cluster (kubectl is left for port-forwards and the diagnostics text).</summary>
    public KubernetesApi KubeApi { get; }

    /// <summary>The API operations of the components: <see cref="KubeApi"/> unless the ports replace it (tests).</summary>
    public IKubernetesOperations Kubernetes { get; }

    public HelmCli Helm { get; }

    public ManifestRenderer Renderer { get; }

    public EnvironmentStateStore Store { get; }

    public MetalLbInstaller MetalLb { get; }

    public OperatorInstaller Operator { get; }

    public VaultDeployer Vaults { get; }

    /// <summary>The images every cluster runs, by the step that needs them.</summary>
    public ClusterImages Images { get; }

    /// <summary>A loader for one up (it remembers whether this host needs the archive fallback); dispose it to remove its archives.</summary>
    public IClusterImageLoader CreateImageLoader() => Clusters.CreateImageLoader(Path.Combine(Options.WorkDirectory, "images"));

    public IDiagnosticsWriter Diagnostics { get; }

    public ILogger Logger { get; }

    public IEnvironmentDocker Docker => Ports.Docker;

    /// <summary>The cluster's own kubeconfig file (never ~/.kube/config).</summary>
    public string KubeconfigPath(string cluster) => Target(cluster).KubeconfigPath;

    public string ManifestDirectory(string cluster) => Path.Combine(Options.WorkDirectory, "manifests", cluster);

    public KubeTarget Target(string cluster) => Clusters.Target(new ClusterIdentity(cluster));

    public KubeTarget Target(ClusterState cluster) => new(cluster.KubeconfigPath, cluster.KubeContext);
}
