using MultiDcVault.Harness.Planning;
using Microsoft.Extensions.Logging;
using MultiDcVault.Harness.Components.Kms;
using MultiDcVault.Harness.Components.Vault;
using MultiDcVault.Harness.Configuration;
using MultiDcVault.Harness.Diagnostics;
using MultiDcVault.Harness.Environment.Attach;
using MultiDcVault.Harness.Environment.Down;
using MultiDcVault.Harness.Environment.Steps;
using MultiDcVault.Harness.Environment.Up;
using MultiDcVault.Harness.Faults;
using MultiDcVault.Harness.Health;
using MultiDcVault.Harness.Infrastructure.Vault;

namespace MultiDcVault.Harness.Environment;

/// <summary>
/// The environment behind <see cref="IMultiDcEnvironment"/>: up, attach, down, status and diagnostics
/// over one work directory (state.json, secrets.json, timings.json, kubeconfigs, manifests).
/// </summary>
internal sealed class MultiDcEnvironment : IMultiDcEnvironment, IHealAttach
{
    private readonly EnvironmentParts _parts;
    private readonly VaultHostAccess _hostAccess;
    private readonly EnvironmentTeardown _teardown;
    private readonly EnvironmentAttacher _attacher;

    public MultiDcEnvironment(MultiDcOptions options, EnvironmentServices services, EnvironmentPorts ports)
    {
        ArgumentNullException.ThrowIfNull(options);
        _parts = new EnvironmentParts(options, services, ports);
        _hostAccess = new VaultHostAccess(
            _parts.Kubectl, ports.Docker.NeedsPortForwardingAsync, options.Namespace, services.LoggerFactory.CreateLogger<VaultHostAccess>(), _parts.Time);
        _teardown = new EnvironmentTeardown(_parts);
        _attacher = new EnvironmentAttacher(_parts, _hostAccess);
    }

    public MultiDcOptions Options => _parts.Options;

    public Task<EnvironmentHandle> UpAsync(IProgress<PhaseEvent>? progress, CancellationToken cancellationToken) =>
        new EnvironmentUp(_parts, _hostAccess, _teardown, _attacher).RunAsync(progress, cancellationToken);

    public Task<EnvironmentHandle?> TryAttachAsync(CancellationToken cancellationToken) => _attacher.TryAttachAsync(cancellationToken);

    public Task<EnvironmentHandle?> TryAttachForHealAsync(CancellationToken cancellationToken) =>
        _attacher.TryAttachAsync(cancellationToken, startStoppedCentralVault: true);

    public async Task<TeardownReport> DownAsync(IProgress<PhaseEvent>? progress, CancellationToken cancellationToken)
    {
        await _hostAccess.DisposeAsync();
        return await _teardown.RunAsync(new PhaseTimer(_parts.Time, progress), cancellationToken);
    }

    public async Task<EnvironmentStatus> GetStatusAsync(CancellationToken cancellationToken)
    {
        var handle = await _attacher.TryAttachAsync(cancellationToken);
        if (handle is null)
        {
            return new EnvironmentStatus(false, [], null, 0, null,
                [$"No running environment of session '{Options.Session}' in {Options.WorkDirectory} (no complete state, a cluster or the central Vault is gone). Run `multidc up`."]);
        }

        var token = await handle.ReadRootTokenAsync(cancellationToken);
        var faults = await InjectedFaultReader.ReadAsync(handle.NodeContainers, handle.FaultTopology, cancellationToken);
        var observation = await _parts.Ports.RaftProbe.ObserveAsync(handle.Datacenters, token, faults, cancellationToken);
        var health = observation.Health;
        return new EnvironmentStatus(
            health.Healthy,
            observation.Datacenters,
            health.LeaderId,
            health.VoterCount,
            health.AutopilotReady ? health.FailureTolerance : null,
            health.Problems)
        {
            InjectedFaults = faults,
        };
    }

    public async Task<string> WriteDiagnosticsAsync(string reason, CancellationToken cancellationToken)
    {
        var state = await _parts.Store.ReadAsync(cancellationToken);
        var secrets = await _parts.Store.ReadSecretsAsync(cancellationToken);
        var central = secrets is null ? null : await TryAttachCentralVaultAsync(secrets, cancellationToken);
        var clusters = (state?.Clusters ?? []).Select(c => new DiagnosticsCluster(
            c.Name,
            _parts.Target(c),
            Options.Namespace,
            new ClusterIdentity(c.Name).VaultName,
            c.LoadBalancerIp is null ? null : VaultHostAccess.DirectAddress(c.LoadBalancerIp),
            null)).ToList();
        var timings = Path.Combine(Options.WorkDirectory, TimingReport.FileName);
        return await _parts.Diagnostics.WriteAsync(
            new DiagnosticsRequest(
                reason,
                Options.WorkDirectory,
                Options.Session,
                clusters,
                state?.CentralVaultContainer,
                EnvironmentHandleBuilder.RootTokenReader(central),
                File.Exists(timings) ? timings : null),
            cancellationToken);
    }

    /// <summary>Diagnostics of a broken environment must not fail because its central Vault is broken too.</summary>
    private async Task<ICentralVaultSession?> TryAttachCentralVaultAsync(CentralVaultState secrets, CancellationToken cancellationToken)
    {
        try
        {
            return await _parts.Ports.CentralVaults.AttachAsync(secrets, cancellationToken);
        }
        catch (Exception ex) when (ex is CentralVaultUnavailableException or VaultException or TimeoutException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _hostAccess.DisposeAsync();
        if (_parts.Ports.OwnedResources is { } owned)
        {
            await owned.DisposeAsync();
        }
    }
}
