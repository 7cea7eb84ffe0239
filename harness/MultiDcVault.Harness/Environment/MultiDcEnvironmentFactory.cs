using MultiDcVault.Harness.Clusters.Docker;
using Microsoft.Extensions.Logging;
using MultiDcVault.Harness.Clusters.Kind;
using MultiDcVault.Harness.Clusters;
using MultiDcVault.Harness.Components.Kms;
using MultiDcVault.Harness.Configuration;
using MultiDcVault.Harness.Diagnostics;
using MultiDcVault.Harness.Environment.Down;
using MultiDcVault.Harness.Health;
using MultiDcVault.Harness.Infrastructure.Kubernetes;
using MultiDcVault.Harness.Infrastructure.Processes;
using MultiDcVault.Harness.Infrastructure.Secrets;
using MultiDcVault.Harness.Preflight;
using MultiDcVault.Harness.Provisioning;

namespace MultiDcVault.Harness.Environment;

/// <summary>The one way callers (CLI, fixture) get an environment.</summary>
internal static class MultiDcEnvironmentFactory
{
    /// <summary>
    /// Builds the real environment over Docker, kind, kubectl and helm. Nothing is contacted until a
    /// method is called; UpAsync runs the preflight (tools from <see cref="EnvironmentServices.ToolDirectory"/>
    /// or PATH, Docker ping) before it creates anything.
    /// </summary>
    public static IMultiDcEnvironment Create(MultiDcOptions options, EnvironmentServices? services = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        services ??= new EnvironmentServices();
        var resolver = new ExecutableResolver(services.ToolDirectory);
        var runner = new ProcessRunner(services.LoggerFactory.CreateLogger<ProcessRunner>(), resolver, timeProvider: services.TimeProvider);
        var connection = new DockerConnection();
        var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        var cache = services.CacheDirectory is { Length: > 0 } root ? new ToolCache(root) : ToolCache.FromEnvironment(System.Environment.GetEnvironmentVariable);
        var docker = new DockerEnvironment(connection);
        var kubeApi = new KubernetesApi(timeProvider: services.TimeProvider);
        var centralVaults = new CentralVaultProvider(
            async ct => new DockerCentralVaultHost(
                connection,
                options.NetworkName,
                await docker.NeedsPortForwardingAsync(ct),
                reapAfterCrash: !options.Keep,
                services.LoggerFactory.CreateLogger<DockerCentralVaultHost>()),
            CentralVaultOptions.From(options),
            services.TimeProvider,
            services.LoggerFactory.CreateLogger<CentralVaultProvider>());
        var ports = new EnvironmentPorts
        {
            Runner = runner,
            Launcher = runner,
            Docker = docker,
            CentralVaults = centralVaults,
            RaftProbe = new VaultRaftProbe(services.TimeProvider, TimeSpan.FromSeconds(10)),
            Manifests = new PinnedManifestCache(http, cache, logger: services.LoggerFactory.CreateLogger<PinnedManifestCache>()),
            Preflight = ct => MachinePreflight.RunAsync(runner, resolver, options, connection.GetAsync, services.TimeProvider, ct),
            OwnedResources = new ConnectionOwner(connection, http, kubeApi),
        };
        var clusters = EnvironmentParts.CreateClusterProvider(options, services, runner, docker, ports.Kind, ports.Settings.KindWait);
        services = services with { DiagnosticsWriter = services.DiagnosticsWriter ?? BundleWriter(runner, connection, kubeApi, clusters, services) };
        return new MultiDcEnvironment(options, services, ports);
    }

    /// <summary>
    /// Removes what sessions of the harness left on this Docker engine (<c>multidc down --all</c>): the clusters on the
    /// harness's labelled networks (paused nodes unpaused first), then the labelled containers, networks and named volumes
    /// of dead owners and of this session; with <paramref name="force"/> those of live owners too (the report names them).
    /// Problems are in the report, not thrown.
    /// </summary>
    public static async Task<TeardownReport> SweepAllSessionsAsync(MultiDcOptions options, EnvironmentServices services, bool force, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(services);
        var resolver = new ExecutableResolver(services.ToolDirectory);
        var runner = new ProcessRunner(services.LoggerFactory.CreateLogger<ProcessRunner>(), resolver, timeProvider: services.TimeProvider);
        using var connection = new DockerConnection();
        var docker = new DockerEnvironment(connection);
        var clusters = EnvironmentParts.CreateClusterProvider(options, services, runner, docker, new KindCliOptions(), new UpSettings().KindWait);
        return await new LeftoverSweeper(clusters, docker).SweepForDownAllAsync(options.Session, force, cancellationToken);
    }

    /// <summary>The full bundle: the clusters' node logs, the Vault CR, pods and their logs (API), kubectl's text views, Raft state, central Vault log.</summary>
    private static DiagnosticsBundleWriter BundleWriter(
        ProcessRunner runner, DockerConnection connection, KubernetesApi kubeApi, IClusterProvider clusters, EnvironmentServices services) =>
        new(
            clusters,
            new KubectlCli(runner, runner),
            kubeApi,
            async (container, ct) =>
            {
                var output = await (await connection.GetAsync(ct)).Containers.LogsAsync(container, null, ct);
                return output.Stdout + output.Stderr;
            },
            DiagnosticsBundleWriter.CreateVaultClient,
            Redactor.Default,
            services.TimeProvider,
            services.LoggerFactory.CreateLogger<DiagnosticsBundleWriter>());

    /// <summary>For tests: an environment over the given ports.</summary>
    internal static IMultiDcEnvironment Create(MultiDcOptions options, EnvironmentServices services, EnvironmentPorts ports) =>
        new MultiDcEnvironment(options, services, ports);

    private sealed class ConnectionOwner(DockerConnection connection, HttpClient http, KubernetesApi kubeApi) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            connection.Dispose();
            http.Dispose();
            kubeApi.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
