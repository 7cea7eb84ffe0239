using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using MultiDcVault.Harness.Clusters;
using MultiDcVault.Harness.Components.Kms;
using MultiDcVault.Harness.Components.Vault;
using MultiDcVault.Harness.Configuration;
using MultiDcVault.Harness.Diagnostics;
using MultiDcVault.Harness.Environment.Attach;
using MultiDcVault.Harness.Environment.Down;
using MultiDcVault.Harness.Environment.State;
using MultiDcVault.Harness.Environment.Steps;
using MultiDcVault.Harness.Health;
using MultiDcVault.Harness.Infrastructure.Docker;
using MultiDcVault.Harness.Infrastructure.Kubernetes;
using MultiDcVault.Harness.Infrastructure.Secrets;
using MultiDcVault.Harness.Planning.Manifests;
using MultiDcVault.Harness.Planning;
using MultiDcVault.Harness.Preflight;
using MultiDcVault.Harness.Provisioning;

namespace MultiDcVault.Harness.Environment.Up;

/// <summary>
/// One <c>up</c>: preflight, network, then a dependency graph run as parallel as it allows — on the
/// host, the MetalLB manifest fetch (once per run) and one pull per distinct image (once per host);
/// every cluster's pipeline (kind create; then each image group loaded as soon as the cluster and
/// its pulls are there; MetalLB and the operator side by side, each after its own images; RBAC)
/// and the central Vault (after its image) at once; the leader's Vault CR as soon as its cluster, its
/// Vault images and the central Vault are ready; each follower's CA copy and CR as soon as its own
/// cluster is ready and the leader is initialised. Then host access and the wait for Raft. Any
/// failure cancels the rest, writes diagnostics and tears down (unless keep); Ctrl-C tears down too.
/// </summary>
internal sealed partial class EnvironmentUp(EnvironmentParts parts, VaultHostAccess hostAccess, EnvironmentTeardown teardown, EnvironmentAttacher attacher)
{
    private readonly Lock _stateGate = new();
    private readonly SemaphoreSlim _stateWrite = new(1, 1);
    private EnvironmentState? _state;
    private ICentralVaultSession? _centralVault;
    private Exception? _firstFailure;

    private MultiDcOptions Options => parts.Options;

    private EnvironmentParts Parts => parts;

    public async Task<EnvironmentHandle> RunAsync(IProgress<PhaseEvent>? progress, CancellationToken cancellationToken)
    {
        var timer = new PhaseTimer(parts.Time, progress);
        using var upTimeout = new CancellationTokenSource(Options.UpTimeout, parts.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, upTimeout.Token);
        var token = linked.Token;

        await timer.RunAsync("preflight", null, () => PreflightAsync(token));
        await SweepCrashLeftoversAsync(timer, token);
        var created = false;
        try
        {
            if (Options.Reuse && await TryReuseAsync(timer, token) is { } reused)
            {
                return reused;
            }

            var previous = await parts.Store.ReadAsync(token);
            await RefuseForeignClustersAsync(previous, token);
            await RefuseMissingLocalImageAsync(token);
            if (previous is not null)
            {
                // A fresh environment needs fresh clusters and a fresh central Vault (bank-vaults never overwrites keys).
                await teardown.RunAsync(timer, token);
            }

            created = true;
            var handle = await BuildAsync(timer, token);
            await FinishAsync(timer, EnvironmentState.StatusUp, CancellationToken.None);
            return handle;
        }
        catch (Exception ex) when (created || ex is not PrerequisitesMissingException)
        {
            var cancelled = cancellationToken.IsCancellationRequested;
            var timedOut = upTimeout.IsCancellationRequested && !cancelled;
            var interrupted = timer.Running;
            var reason = timedOut
                ? $"up did not finish within {Options.UpTimeout} (MULTIDC_UP_TIMEOUT_MINUTES); still running: {(interrupted.Count == 0 ? "nothing" : string.Join(", ", interrupted))}."
                : Describe(_firstFailure ?? ex);
            using var cleanup = new CancellationTokenSource(parts.Settings.TeardownTimeout, parts.Time);
            var timings = await FinishAsync(timer, cancelled ? "cancelled" : EnvironmentState.StatusFailed, cleanup.Token);
            string? bundle = null;
            if (!cancelled)
            {
                bundle = await WriteDiagnosticsAsync(reason, timings, cleanup.Token);
                timer.Note("diagnostics", bundle is null ? PhaseState.Failed : PhaseState.Succeeded, bundle ?? "could not write the diagnostics bundle");
            }

            if (created && !Options.Keep)
            {
                await TryTeardownAsync(timer, cleanup.Token);
            }

            if (cancelled)
            {
                throw new OperationCanceledException(
                    Options.Keep ? "up was cancelled; the environment was kept (keep is set)." : "up was cancelled; what it made was torn down.",
                    ex,
                    cancellationToken);
            }

            throw new EnvironmentUpException(
                $"up failed: {reason}" +
                (bundle is null ? string.Empty : $" Diagnostics: {bundle}.") +
                (Options.Keep ? " The environment was kept (keep is set); run `multidc down` when done." : " What up made was torn down."),
                bundle,
                _firstFailure ?? ex);
        }
    }

    /// <summary>
    /// Removes what runs killed hard (kill -9) left: only provably dead owners' objects, never a live run's or a kept
    /// environment's. It is housekeeping, so a Docker error here is a progress line, not a failed up.
    /// </summary>
    private async Task SweepCrashLeftoversAsync(PhaseTimer timer, CancellationToken cancellationToken)
    {
        TeardownReport swept;
        try
        {
            swept = await new LeftoverSweeper(parts.Clusters, parts.Docker).SweepDeadOwnersAsync(cancellationToken);
        }
        catch (DockerException e)
        {
            timer.Note("leftovers", PhaseState.Failed, $"could not sweep dead runs' leftovers: {e.Message}");
            return;
        }

        if (!swept.RemovedNothing)
        {
            timer.Note("leftovers", swept.Problems.Count == 0 ? PhaseState.Succeeded : PhaseState.Failed, DescribeSweep(swept));
        }
    }

    private static string DescribeSweep(TeardownReport swept)
    {
        static string List(IReadOnlyList<string> items) => items.Count == 0 ? "none" : string.Join(", ", items);
        return $"removed dead runs' leftovers: clusters {List(swept.ClustersDeleted)}; containers {List(swept.ContainersRemoved)}; " +
            $"networks {List(swept.NetworksRemoved)}; volumes {List(swept.VolumesRemoved)}" +
            (swept.Problems.Count == 0 ? "." : $"; problems: {string.Join("; ", swept.Problems)}");
    }

    private async Task PreflightAsync(CancellationToken cancellationToken)
    {
        var report = await parts.Ports.Preflight(cancellationToken);
        if (report.HasFailures)
        {
            throw new PrerequisitesMissingException([.. report.Checks.Where(c => c.Status == PreflightStatus.Fail).Select(c => c.ToLine())]);
        }
    }

    /// <summary>
    /// Refuses, before anything is created or torn down, when a planned kind cluster name is taken by a
    /// cluster this session's state does not record: kind create would fail, and cleaning up after it
    /// must never delete a cluster someone else (another session, a developer's `multidc up`) owns.
    /// </summary>
    private async Task RefuseForeignClustersAsync(EnvironmentState? previous, CancellationToken cancellationToken)
    {
        var recorded = (previous?.Clusters ?? []).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var foreign = new List<string>();
        foreach (var name in Options.ClusterNames.Where(n => !recorded.Contains(n)))
        {
            if ((await parts.Clusters.FindNodesAsync(name, cancellationToken)).Count > 0)
            {
                foreign.Add(name);
            }
        }

        if (foreign.Count > 0)
        {
            throw new PrerequisitesMissingException(
                [.. foreign.Select(name =>
                    $"kind cluster '{name}' already exists and is not part of session '{Options.Session}' (its state does not record it); " +
                    "up leaves it alone and creates nothing. Fix: remove it with `multidc down --session <the session that made it>` " +
                    $"(or `kind delete cluster --name {name}` if it is a leftover), or choose other names with MULTIDC_CLUSTER_NAMES / --cluster-names.")]);
        }
    }

    /// <summary>
    /// A locally built operator image (MULTIDC_OPERATOR_IMAGE) is loaded, never pulled: refuse before
    /// anything is created when the host's engine does not have it.
    /// </summary>
    private async Task RefuseMissingLocalImageAsync(CancellationToken cancellationToken)
    {
        if (Options.LoadOperatorImage && await parts.Docker.FindImageAsync(Options.OperatorImage, cancellationToken) is null)
        {
            throw new PrerequisitesMissingException([MissingLocalImage(Options.OperatorImage)]);
        }
    }

    private static string MissingLocalImage(string image) =>
        $"The operator image '{image}' (MULTIDC_OPERATOR_IMAGE) is not in the local Docker engine; a locally built image is loaded, never pulled. " +
        "Fix: build or `docker load` it first, or unset MULTIDC_OPERATOR_IMAGE to use the released one.";

    private async Task<EnvironmentHandle?> TryReuseAsync(PhaseTimer timer, CancellationToken cancellationToken) =>
        await timer.RunAsync<EnvironmentHandle?>("reuse", null, async () =>
        {
            EnvironmentHandle? handle;
            try
            {
                handle = await attacher.TryAttachAsync(cancellationToken);
            }
            catch (CentralVaultUnavailableException ex)
            {
                // Reuse is best effort: a central Vault that cannot be used means a fresh environment.
                LogNotReusable(parts.Logger, ex.Message);
                return null;
            }

            if (handle is null)
            {
                return null;
            }

            var observation = await parts.Ports.RaftProbe.ObserveAsync(handle.Datacenters, await TryReadRootTokenAsync(handle, cancellationToken), [], cancellationToken);
            if (observation.Health.Healthy)
            {
                return handle;
            }

            LogNotReusable(parts.Logger, observation.Health.ToString());
            return null;
        });

    private async Task<EnvironmentHandle> BuildAsync(PhaseTimer timer, CancellationToken cancellationToken)
    {
        var (layout, networkCreated) = await timer.RunAsync("network", null, () =>
            parts.Docker.EnsureNetworkAsync(Options.NetworkName, Options.NetworkSubnet, HarnessLabels.ForNetwork(Options.Session, Options.ClusterNames, Options.Keep), cancellationToken));
        var plan = EnvironmentPlanner.Create(Options, layout);
        await UpdateStateAsync(
            _ => new EnvironmentState
            {
                Session = Options.Session,
                NetworkName = Options.NetworkName,
                NetworkCreatedByHarness = networkCreated,
                Network = layout,
                Clusters = [.. plan.Clusters.Select(c => new ClusterState(c.Name, c.Role, parts.KubeconfigPath(c.Name), parts.Target(c.Name).Context, c.AddressPools))],
                CentralVaultContainer = parts.Ports.CentralVaults.ContainerName,
                UpdatedAt = parts.Time.GetUtcNow(),
            },
            cancellationToken);

        using var gate = new StepGate(parts.Settings.MaxParallelSteps);
        using var failFast = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await using var loader = parts.CreateImageLoader();
        var steps = new GraphSteps(this, timer, gate, plan, failFast, loader);
        var t = failFast.Token;

        // Every file first: once steps run, real I/O between them would only delay the ones behind it.
        var written = await Task.WhenAll(plan.Clusters.Select(c => steps.WriteClusterFilesAsync(c, t)));
        var files = plan.Clusters.Zip(written).ToDictionary(p => p.First.Name, p => p.Second, StringComparer.Ordinal);

        var pulls = ClusterImages.HostPulls(Options).ToDictionary(i => i, i => steps.Guard(steps.PullAsync(i, t)), StringComparer.Ordinal);
        var manifest = steps.Guard(steps.FetchMetalLbManifestAsync(t));
        var central = steps.Guard(steps.StartCentralVaultAsync(pulls[Options.EffectiveCentralVaultImage], t));
        var prepared = plan.Clusters.ToDictionary(c => c.Name, c => steps.Guard(steps.PrepareClusterAsync(c, files[c.Name], pulls, manifest, t)));
        var leader = steps.Guard(steps.DeployLeaderAsync(plan.Leader, prepared[plan.Leader.Name], central, t));
        var followers = plan.Followers.Select(f => steps.Guard(steps.DeployFollowerAsync(f, prepared[f.Name], leader, central, t))).ToList();
        await AwaitAllAsync([manifest, .. pulls.Values, central, .. prepared.Values, leader, .. followers]);

        var ready = new List<ReadyCluster> { await leader };
        foreach (var follower in followers)
        {
            ready.Add(await follower);
        }

        var centralVault = await central;
        var handle = await timer.RunAsync("host access", null, () =>
            new EnvironmentHandleBuilder(parts, hostAccess).BuildAsync(plan, ready, centralVault, cancellationToken));
        await timer.RunAsync("raft formed", null, () =>
            new RaftFormationWaiter(parts.Ports.RaftProbe, parts.Settings, parts.Time).WaitAsync(handle.Datacenters, centralVault.TryReadRootTokenAsync, cancellationToken));
        return handle;
    }

    /// <summary>Waits for every task; rethrows the first real failure (not the cancellations it caused in the others).</summary>
    private async Task AwaitAllAsync(IReadOnlyList<Task> tasks)
    {
        try
        {
            await Task.WhenAll(tasks);
        }
        catch (Exception) when (Volatile.Read(ref _firstFailure) is { } first)
        {
            ExceptionDispatchInfo.Throw(first);
        }
    }

    private void RecordFailure(Exception ex)
    {
        if (ex is not OperationCanceledException)
        {
            Interlocked.CompareExchange(ref _firstFailure, ex, null);
        }
    }

    private async Task UpdateStateAsync(Func<EnvironmentState?, EnvironmentState> change, CancellationToken cancellationToken)
    {
        EnvironmentState next;
        lock (_stateGate)
        {
            next = _state = change(_state) with { UpdatedAt = parts.Time.GetUtcNow() };
        }

        await _stateWrite.WaitAsync(cancellationToken);
        try
        {
            // Write the newest state: a slower writer must not overwrite a newer one.
            EnvironmentState latest;
            lock (_stateGate)
            {
                latest = _state ?? next;
            }

            await parts.Store.WriteAsync(latest, cancellationToken);
        }
        finally
        {
            _stateWrite.Release();
        }
    }

    private async Task<TimingReport> FinishAsync(PhaseTimer timer, string outcome, CancellationToken cancellationToken)
    {
        var report = timer.Report(outcome);
        await report.WriteAsync(Options.WorkDirectory, cancellationToken);
        if (_state is not null)
        {
            await UpdateStateAsync(s => s! with { Status = outcome == "cancelled" ? EnvironmentState.StatusFailed : outcome, Timings = report.Phases }, cancellationToken);
        }

        return report;
    }

    private async Task<string?> WriteDiagnosticsAsync(string reason, TimingReport timings, CancellationToken cancellationToken)
    {
        try
        {
            var clusters = (_state?.Clusters ?? []).Select(c => new DiagnosticsCluster(
                c.Name,
                parts.Target(c),
                Options.Namespace,
                new ClusterIdentity(c.Name).VaultName,
                c.LoadBalancerIp is null ? null : VaultHostAccess.DirectAddress(c.LoadBalancerIp),
                null)).ToList();
            var central = _centralVault;
            return await parts.Diagnostics.WriteAsync(
                new DiagnosticsRequest(
                    reason,
                    Options.WorkDirectory,
                    Options.Session,
                    clusters,
                    central?.ContainerName,
                    EnvironmentHandleBuilder.RootTokenReader(central),
                    Path.Combine(Options.WorkDirectory, TimingReport.FileName)),
                cancellationToken);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogDiagnosticsFailed(parts.Logger, Redactor.Default.Redact(ex.Message));
            return null;
        }
    }

    private async Task TryTeardownAsync(PhaseTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            await timer.RunAsync("teardown", null, () => teardown.RunAsync(timer, cancellationToken));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The original failure matters more; the leftovers are labelled and `multidc down` removes them.
            LogTeardownFailed(parts.Logger, Redactor.Default.Redact(ex.Message));
        }
    }

    private static async Task<SecretValue?> TryReadRootTokenAsync(EnvironmentHandle handle, CancellationToken cancellationToken)
    {
        try
        {
            return await handle.ReadRootTokenAsync(cancellationToken);
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static string Describe(Exception ex) => Redactor.Default.Redact(ex.Message);

    [LoggerMessage(Level = LogLevel.Information, Message = "The running environment is not healthy enough to reuse ({Health}); bringing up a fresh one")]
    private static partial void LogNotReusable(ILogger logger, string health);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write the diagnostics bundle: {Reason}")]
    private static partial void LogDiagnosticsFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Teardown after a failed up did not finish: {Reason}. Run `multidc down` to remove the leftovers.")]
    private static partial void LogTeardownFailed(ILogger logger, string reason);

    private sealed record ClusterFiles(string KindConfig, string OperatorValues);

    /// <summary>The steps of the dependency graph; each leaf step holds a gate slot only while it runs.</summary>
    private sealed class GraphSteps(EnvironmentUp up, PhaseTimer timer, StepGate gate, EnvironmentPlan plan, CancellationTokenSource failFast, IClusterImageLoader loader)
    {
        private EnvironmentParts Parts => up.Parts;

        /// <summary>Cancels every other step as soon as one fails.</summary>
        public async Task<T> Guard<T>(Task<T> task)
        {
            try
            {
                return await task;
            }
            catch (Exception ex)
            {
                up.RecordFailure(ex);
                await failFast.CancelAsync();
                throw;
            }
        }

        /// <summary>The pinned MetalLB native manifest, once per run: from the tool cache when its SHA-256 still matches, else downloaded and verified.</summary>
        public Task<string> FetchMetalLbManifestAsync(CancellationToken ct) =>
            Step("metallb manifest", null, async () =>
            {
                var pinned = PinnedManifests.MetalLbNative(plan.Options.MetalLbVersion)
                    ?? throw new InvalidOperationException($"No SHA-256 is pinned for MetalLB {plan.Options.MetalLbVersion}'s native manifest; use one of {string.Join(", ", PinnedManifests.MetalLbVersions)}.");
                return (await Parts.Ports.Manifests.GetAsync(pinned, ct)).Path;
            }, ct);

        /// <summary>One pull of an image on the host, unless its engine already has it (a locally built image always is: see RefuseMissingLocalImageAsync).</summary>
        public async Task<bool> PullAsync(string image, CancellationToken ct)
        {
            var phase = $"pull {image}";
            if (await Parts.Docker.FindImageAsync(image, ct) is not null)
            {
                timer.Skip(phase, null, "already in the local Docker engine");
                return false;
            }

            if (plan.Options.LoadOperatorImage && image == plan.Options.OperatorImage)
            {
                throw new InvalidOperationException(MissingLocalImage(image));
            }

            var log = new ImagePullLog(Parts.Logger, image, message => timer.Progress(phase, null, message));
            await Step(phase, null, () => Parts.Docker.PullImageAsync(image, log, ct), ct);
            return true;
        }

        public async Task<ICentralVaultSession> StartCentralVaultAsync(Task<bool> imagePulled, CancellationToken ct)
        {
            await imagePulled;
            return await Step("central vault", null, async () =>
            {
                // Never reuse here: a fresh environment needs a fresh central Vault.
                var centralVault = await Parts.Ports.CentralVaults.StartFreshAsync(plan.CentralVaultAddress, ct);
                up._centralVault = centralVault;
                await Parts.Store.WriteSecretsAsync(centralVault.State, ct);
                return centralVault;
            }, ct);
        }

        /// <summary>The cluster's kind config and operator values, rendered into its manifest directory.</summary>
        public async Task<ClusterFiles> WriteClusterFilesAsync(ClusterPlan cluster, CancellationToken ct)
        {
            var target = Parts.Target(cluster.Name);
            var directory = Parts.ManifestDirectory(cluster.Name);
            Directory.CreateDirectory(directory);
            Directory.CreateDirectory(Path.GetDirectoryName(target.KubeconfigPath)!);
            var kindConfig = Path.Combine(directory, ManifestFileNames.KindConfig);
            await File.WriteAllTextAsync(kindConfig, Parts.Renderer.RenderKindConfig(plan, cluster).Content, ct);
            var operatorValues = Path.Combine(directory, ManifestFileNames.OperatorValues);
            await File.WriteAllTextAsync(operatorValues, Parts.Renderer.RenderOperatorValues(plan).Content, ct);
            return new ClusterFiles(kindConfig, operatorValues);
        }

        public async Task<bool> PrepareClusterAsync(
            ClusterPlan cluster, ClusterFiles files, IReadOnlyDictionary<string, Task<bool>> pulls, Task<string> metalLbManifest, CancellationToken ct)
        {
            var target = Parts.Target(cluster.Name);
            var (kindConfig, operatorValues) = files;
            await Step("kind create", cluster.Name, () =>
                Parts.Clusters.CreateAsync(cluster.Identity, kindConfig, plan.Network.Name, ct), ct);

            // Each image group goes in as soon as its pulls are done, and its step waits for it alone.
            var images = Parts.Images;
            var metalLbImages = Guard(LoadAsync("load metallb images", cluster.Name, images.MetalLb, pulls, ct));
            var operatorImage = Guard(LoadAsync("load operator image", cluster.Name, images.Operator, pulls, ct));
            var vaultImages = Guard(LoadAsync("load vault images", cluster.Name, images.Vault, pulls, ct));

            var metalLb = Guard(InstallMetalLbAsync(cluster, target, metalLbImages, metalLbManifest, ct));
            var operatorInstall = Guard(InstallOperatorAsync(cluster, target, operatorValues, operatorImage, ct));
            await Task.WhenAll(metalLb, operatorInstall);

            // The Vault pod's ServiceAccount and Role must exist before its CR.
            await Step("rbac", cluster.Name, () => Parts.Vaults.ApplyRbacAsync(plan, target, ct), ct);

            // The Vault CR comes after this: its pods must find their images on the node.
            await vaultImages;
            return true;
        }

        private async Task<bool> LoadAsync(string phase, string cluster, IReadOnlyList<string> images, IReadOnlyDictionary<string, Task<bool>> pulls, CancellationToken ct)
        {
            foreach (var image in images)
            {
                await pulls[image];
            }

            await Step(phase, cluster, () => loader.LoadAsync(cluster, images, ct), ct);
            return true;
        }

        private async Task<bool> InstallMetalLbAsync(ClusterPlan cluster, KubeTarget target, Task<bool> imagesLoaded, Task<string> manifest, CancellationToken ct)
        {
            await imagesLoaded;
            var path = await manifest;
            await Step("metallb", cluster.Name, async () =>
            {
                await Parts.MetalLb.InstallAsync(target, path, ct);
                await Parts.MetalLb.ApplyPoolsAsync(target, Parts.Renderer.RenderMetalLb(plan, cluster), ct);
            }, ct);
            return true;
        }

        private async Task<bool> InstallOperatorAsync(ClusterPlan cluster, KubeTarget target, string valuesFile, Task<bool> imageLoaded, CancellationToken ct)
        {
            await imageLoaded;
            await Step("operator", cluster.Name, () => Parts.Operator.InstallAsync(plan, target, valuesFile, ct), ct);
            return true;
        }

        public async Task<ReadyCluster> DeployLeaderAsync(ClusterPlan leader, Task<bool> prepared, Task<ICentralVaultSession> central, CancellationToken ct)
        {
            await prepared;
            var centralVault = await central;
            var target = Parts.Target(leader.Name);
            var (ip, ca) = await Step("leader vault", leader.Name, async () =>
            {
                await Parts.Vaults.ApplyVaultAsync(plan, leader, target, centralVault.RuntimeValues(null), ct);
                var lbIp = await Parts.Vaults.WaitForLoadBalancerIpAsync(plan, leader, target, ct);
                if (!EnvironmentHandleBuilder.IsIpv4(lbIp))
                {
                    throw new InvalidOperationException(
                        $"The leader's Service got LoadBalancer IP {lbIp}, but followers join it as https://<ip>:8200, which needs IPv4. Give the network an IPv4 subnet.");
                }

                return (lbIp, await Parts.Vaults.WaitForTlsCertificateAsync(plan, leader, target, lbIp, ct));
            }, ct);
            await RecordEndpointAsync(leader.Name, ip, ca, ct);
            await Step("leader initialised", leader.Name, () => Parts.Vaults.WaitForLeaderInitialisedAsync(centralVault, leader, ct), ct);
            return new ReadyCluster(leader, target.KubeconfigPath, target.Context, ip, ca);
        }

        public async Task<ReadyCluster> DeployFollowerAsync(
            ClusterPlan follower, Task<bool> prepared, Task<ReadyCluster> leader, Task<ICentralVaultSession> central, CancellationToken ct)
        {
            await prepared;
            var leaderReady = await leader;
            var centralVault = await central;
            var target = Parts.Target(follower.Name);
            var leaderTarget = Parts.Target(plan.Leader.Name);
            await Step("ca copy", follower.Name, () => Parts.Vaults.CopyLeaderCaAsync(plan, leaderTarget, target, ct), ct);
            var (ip, ca) = await Step("follower vault", follower.Name, async () =>
            {
                await Parts.Vaults.ApplyVaultAsync(plan, follower, target, centralVault.RuntimeValues(leaderReady.LoadBalancerIp), ct);
                var lbIp = await Parts.Vaults.WaitForLoadBalancerIpAsync(plan, follower, target, ct);
                return (lbIp, await Parts.Vaults.WaitForTlsCertificateAsync(plan, follower, target, lbIp, ct));
            }, ct);
            await RecordEndpointAsync(follower.Name, ip, ca, ct);
            return new ReadyCluster(follower, target.KubeconfigPath, target.Context, ip, ca);
        }

        private Task RecordEndpointAsync(string cluster, string ip, string caCertificatePem, CancellationToken ct) =>
            up.UpdateStateAsync(
                s => s! with { Clusters = [.. s.Clusters.Select(c => c.Name == cluster ? c with { LoadBalancerIp = ip, CaCertificatePem = caCertificatePem } : c)] },
                ct);

        private Task<T> Step<T>(string phase, string? cluster, Func<Task<T>> work, CancellationToken ct) =>
            gate.RunAsync(() => timer.RunAsync(phase, cluster, work), ct);

        private Task Step(string phase, string? cluster, Func<Task> work, CancellationToken ct) =>
            gate.RunAsync(() => timer.RunAsync(phase, cluster, work), ct);
    }
}
