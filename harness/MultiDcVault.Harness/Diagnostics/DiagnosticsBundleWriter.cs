using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using System.Text.Json;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;
using MultiDcVault.Harness.Clusters;
using MultiDcVault.Harness.Infrastructure.Kubernetes;
using MultiDcVault.Harness.Infrastructure.Secrets;
using MultiDcVault.Harness.Infrastructure.Vault;

namespace MultiDcVault.Harness.Diagnostics;

/// <summary>
/// Writes <c>&lt;BundleRoot&gt;/diagnostics-&lt;session&gt;-&lt;yyyyMMdd-HHmmss&gt;/</c>: per cluster the provider's exported node logs (kind's),
/// kubectl state, the Vault CR, Vault and operator pod logs and the Raft state read through the Vault
/// API; the central Vault's log; the timing report; and a README saying what each file is and which
/// collections failed and why. Every collection is best-effort with its own timeout; every byte
/// written passes through the redactor.
/// </summary>
internal sealed partial class DiagnosticsBundleWriter : IDiagnosticsWriter
{
    /// <summary>Pods the operator creates for a Vault CR (the Vault StatefulSet and the configurer) carry vault_cr=&lt;name&gt;.</summary>
    public const string VaultCrLabel = "vault_cr";

    /// <summary>The operator chart's pod label (app.kubernetes.io/name is the chart name).</summary>
    public const string OperatorSelector = "app.kubernetes.io/name=vault-operator";

    // Shorter values are too common to mask everywhere (they are still masked in the CR's own fields).
    private const int MinimumRegisteredSecretLength = 8;

    private static readonly JsonSerializerOptions VaultJsonIndented = new(VaultJson.Options) { WriteIndented = true };

    private readonly IClusterProvider _clusters;
    private readonly KubectlCli _kubectl;
    private readonly IKubernetesOperations _kube;
    private readonly Func<string, CancellationToken, Task<string>> _readContainerLogs;
    private readonly Func<Uri, string?, SecretValue?, VaultClient> _createVaultClient;
    private readonly Redactor _redactor;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly DiagnosticsOptions _options;

    /// <param name="clusters">Exports each cluster's node logs (kind: `kind export logs`).</param>
    /// <param name="kubectl">The text views only: `get all -o wide`, events, `describe` (the API has no such text).</param>
    /// <param name="kube">Typed reads through the Kubernetes API: the Vault CR, pods, container logs.</param>
    /// <param name="readContainerLogs">A Docker container's logs by name (the central Vault), e.g. DockerClient.Containers.LogsAsync.</param>
    /// <param name="createVaultClient">Vault address, CA PEM (null: system trust) and token (null: none) to a client; <see cref="CreateVaultClient"/> is the real one.</param>
    /// <param name="redactor">Masks secrets in everything written; the root token is registered with it first.</param>
    internal DiagnosticsBundleWriter(
        IClusterProvider clusters,
        KubectlCli kubectl,
        IKubernetesOperations kube,
        Func<string, CancellationToken, Task<string>> readContainerLogs,
        Func<Uri, string?, SecretValue?, VaultClient> createVaultClient,
        Redactor redactor,
        TimeProvider? timeProvider = null,
        ILogger<DiagnosticsBundleWriter>? logger = null,
        DiagnosticsOptions? options = null)
    {
        _clusters = clusters ?? throw new ArgumentNullException(nameof(clusters));
        _kubectl = kubectl ?? throw new ArgumentNullException(nameof(kubectl));
        _kube = kube ?? throw new ArgumentNullException(nameof(kube));
        _readContainerLogs = readContainerLogs ?? throw new ArgumentNullException(nameof(readContainerLogs));
        _createVaultClient = createVaultClient ?? throw new ArgumentNullException(nameof(createVaultClient));
        _redactor = redactor ?? throw new ArgumentNullException(nameof(redactor));
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _options = options ?? new DiagnosticsOptions();
        _options.Validate();
    }

    /// <summary>The real Vault client of a cluster: TLS verified against the cluster's CA when one is known.</summary>
    public static VaultClient CreateVaultClient(Uri address, string? caCertificatePem, SecretValue? token) =>
        new(new VaultClientOptions
        {
            Address = address,
            Token = token,
            Tls = string.IsNullOrWhiteSpace(caCertificatePem) ? VaultTls.SystemTrust : VaultTls.TrustCaPem(caCertificatePem),
        });

    public async Task<string> WriteAsync(DiagnosticsRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.BundleRoot);
        ArgumentException.ThrowIfNullOrEmpty(request.Session);
        ArgumentNullException.ThrowIfNull(request.Clusters);

        var writtenAt = _time.GetUtcNow();
        var files = new BundleFiles(CreateBundleDirectory(request, writtenAt), _redactor);
        using var steps = new CollectionSteps(_options.MaxParallelism, _time, _redactor, _logger);
        try
        {
            // Secrets first: nothing may be written before the redactor knows them.
            var rootToken = await ReadRootTokenAsync(request, steps, cancellationToken);
            await Task.WhenAll(request.Clusters.Select(c => CollectVaultResourceAsync(c, files, steps, cancellationToken)));

            List<Task> collections = [.. request.Clusters.Select(c => CollectClusterAsync(c, rootToken, files, steps, cancellationToken))];
            collections.Add(CollectCentralVaultLogAsync(request, files, steps, cancellationToken));
            collections.Add(CopyTimingReportAsync(request, files, steps, cancellationToken));
            await Task.WhenAll(collections);
        }
        finally
        {
            // Also after a cancellation: a partial bundle still says what it holds and what is missing.
            var readme = DiagnosticsReadme.Render(request, writtenAt, steps.Outcomes, files.Entries);
            await files.WriteTextAsync("README.md", readme, "This file.", CancellationToken.None);
        }

        var failed = steps.Outcomes.Count(o => o.Status == CollectionStatus.Failed);
        LogBundleWritten(_logger, files.Root, failed);
        return files.Root;
    }

    private static string CreateBundleDirectory(DiagnosticsRequest request, DateTimeOffset writtenAt)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"diagnostics-{BundleFiles.SafeName(request.Session)}-{writtenAt.UtcDateTime:yyyyMMdd-HHmmss}");
        var path = Path.Combine(Path.GetFullPath(request.BundleRoot), name);

        // Two bundles in the same second (a failure right after a manual one) must not mix.
        for (var attempt = 2; Directory.Exists(path); attempt++)
        {
            path = Path.Combine(Path.GetFullPath(request.BundleRoot), string.Create(CultureInfo.InvariantCulture, $"{name}-{attempt}"));
        }

        Directory.CreateDirectory(path);
        return path;
    }

    private async Task<SecretValue?> ReadRootTokenAsync(DiagnosticsRequest request, CollectionSteps steps, CancellationToken cancellationToken)
    {
        const string step = "root-token";
        if (request.ReadRootToken is null)
        {
            steps.Skip(step, "No way to read the Raft root token was given, so the Raft configuration and autopilot state (which need it) are not collected.");
            return null;
        }

        var holder = await steps.RunAsync(
            step,
            _options.StepTimeout,
            async ct => new StrongBox<SecretValue?>(await request.ReadRootToken(ct)),
            cancellationToken);
        if (holder is { Value: null })
        {
            steps.Skip(step + " (value)", "The central Vault holds no root token yet (bank-vaults has not initialised Vault), so the Raft configuration and autopilot state are not collected.");
        }

        if (holder?.Value is { } token)
        {
            _redactor.Register(token);
        }

        return holder?.Value;
    }

    private async Task CollectVaultResourceAsync(DiagnosticsCluster cluster, BundleFiles files, CollectionSteps steps, CancellationToken cancellationToken)
    {
        var path = $"{ClusterFolder(cluster)}/vault-cr.json";
        await steps.RunAsync(
            path,
            _options.StepTimeout,
            async ct =>
            {
                var resource = await _kube.TryGetVaultObjectAsync(cluster.Target, cluster.Namespace, cluster.VaultName, ct)
                    ?? throw new InvalidOperationException(
                        $"The Vault CR {cluster.Namespace}/{cluster.VaultName} does not exist in {cluster.Target} (it was not applied yet, or was deleted).");
                var (json, secrets) = VaultResourceSecrets.Mask(resource);
                foreach (var secret in secrets.Where(s => s.Reveal().Length >= MinimumRegisteredSecretLength))
                {
                    _redactor.Register(secret);
                }

                await files.WriteTextAsync(path, json, $"The Vault CR {cluster.VaultName} (spec and status) with its token fields masked.", ct);
            },
            cancellationToken);
    }

    private async Task CollectClusterAsync(DiagnosticsCluster cluster, SecretValue? rootToken, BundleFiles files, CollectionSteps steps, CancellationToken cancellationToken)
    {
        var folder = ClusterFolder(cluster);
        await Task.WhenAll(
            ExportNodeLogsAsync(cluster, files, steps, cancellationToken),
            WriteTextStepAsync(steps, files, $"{folder}/get-all.txt", "`kubectl get all --all-namespaces -o wide`.", ct => _kubectl.GetAllAsync(cluster.Target, ct), cancellationToken),
            WriteTextStepAsync(steps, files, $"{folder}/events.txt", "All events of all namespaces, oldest first.", ct => _kubectl.GetEventsAsync(cluster.Target, ct), cancellationToken),
            CollectVaultPodsAsync(cluster, files, steps, cancellationToken),
            CollectOperatorPodsAsync(cluster, files, steps, cancellationToken),
            CollectVaultApiAsync(cluster, rootToken, files, steps, cancellationToken));
    }

    private async Task ExportNodeLogsAsync(DiagnosticsCluster cluster, BundleFiles files, CollectionSteps steps, CancellationToken cancellationToken)
    {
        var relative = $"{ClusterFolder(cluster)}/{_clusters.Name}-logs";
        var directory = files.CreateDirectory(relative);
        files.Describe(relative + "/", $"`{_clusters.Name} export logs` of cluster {cluster.Name}: per node the kubelet, containerd and journal logs, container logs and docker inspect.");
        try
        {
            await steps.RunAsync(relative, _options.KindExportTimeout, ct => _clusters.ExportLogsAsync(cluster.Name, directory, ct), cancellationToken);
        }
        finally
        {
            // Also after a failed, timed-out or cancelled export: whatever the export wrote so far is on disk
            // unredacted. Not bound to the caller's token, for the same reason.
            var redacted = await steps.RunAsync(
                relative + " (redaction)",
                _options.RedactionTimeout,
                async ct => await files.RedactTreeAsync(relative, ct),
                CancellationToken.None);
            if (redacted is null)
            {
                files.DeleteTree(relative);
                steps.Skip(relative + " (deleted)", "Its redaction did not finish, so the exported logs were deleted rather than kept unredacted.");
            }
            else if (redacted.Count > 0)
            {
                steps.Skip(relative + " (non-text files)", "Removed because only text can be redacted: " + string.Join(", ", redacted));
            }
        }
    }

    private async Task CollectVaultPodsAsync(DiagnosticsCluster cluster, BundleFiles files, CollectionSteps steps, CancellationToken cancellationToken)
    {
        var folder = ClusterFolder(cluster);
        var selector = $"{VaultCrLabel}={cluster.VaultName}";
        var pods = await steps.RunAsync(
            $"{folder}/vault pods ({selector})",
            _options.StepTimeout,
            ct => _kube.ListPodsAsync(cluster.Target, cluster.Namespace, selector, ct),
            cancellationToken);
        if (pods is null)
        {
            steps.Skip($"{folder}/describe-vault-pods.txt", "The Vault pods could not be listed (see the failure above).");
            return;
        }

        var names = PodContainers.PodNames(pods);
        await Task.WhenAll(
            WriteTextStepAsync(
                steps,
                files,
                $"{folder}/describe-vault-pods.txt",
                $"`kubectl describe` of the pods labelled {selector} (Vault and the operator's configurer).",
                async ct => names.Count == 0 ? $"No pod in namespace {cluster.Namespace} has the label {selector}.\n" : await DescribePodsAsync(cluster, names, ct),
                cancellationToken),
            CollectContainerLogsAsync(cluster, PodContainers.From(pods, cluster.Namespace), files, steps, cancellationToken));
    }

    private async Task<string> DescribePodsAsync(DiagnosticsCluster cluster, IReadOnlyList<string> pods, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        foreach (var pod in pods)
        {
            text.Append(await _kubectl.DescribeAsync(cluster.Target, cluster.Namespace, $"pod/{pod}", cancellationToken)).Append('\n');
        }

        return text.ToString();
    }

    private async Task CollectOperatorPodsAsync(DiagnosticsCluster cluster, BundleFiles files, CollectionSteps steps, CancellationToken cancellationToken)
    {
        // All namespaces: the operator's namespace is a Helm install detail, not part of the request.
        var pods = await steps.RunAsync(
            $"{ClusterFolder(cluster)}/operator pods ({OperatorSelector})",
            _options.StepTimeout,
            ct => _kube.ListPodsAsync(cluster.Target, null, OperatorSelector, ct),
            cancellationToken);
        if (pods is not null)
        {
            await CollectContainerLogsAsync(cluster, PodContainers.From(pods, cluster.Namespace), files, steps, cancellationToken);
        }
    }

    private Task CollectContainerLogsAsync(
        DiagnosticsCluster cluster,
        IReadOnlyList<PodContainer> containers,
        BundleFiles files,
        CollectionSteps steps,
        CancellationToken cancellationToken)
    {
        var folder = ClusterFolder(cluster);
        List<Task> logs = [];
        foreach (var container in containers)
        {
            var baseName = $"{folder}/logs/{BundleFiles.SafeName(container.Pod)}-{BundleFiles.SafeName(container.Container)}";
            logs.Add(WriteTextStepAsync(
                steps,
                files,
                baseName + ".log",
                $"Logs of container {container.Container} of pod {container.Namespace}/{container.Pod}.",
                ct => _kube.LogsAsync(cluster.Target, container.Namespace, container.Pod, container.Container, tail: null, ct),
                cancellationToken));
            if (container.HasPreviousLogs)
            {
                logs.Add(WriteTextStepAsync(
                    steps,
                    files,
                    baseName + ".previous.log",
                    $"Logs of the previous run of container {container.Container} of pod {container.Namespace}/{container.Pod} (it restarted {container.RestartCount} time(s)).",
                    ct => _kube.LogsAsync(cluster.Target, container.Namespace, container.Pod, container.Container, tail: null, ct, previous: true),
                    cancellationToken));
            }
        }

        return Task.WhenAll(logs);
    }

    private async Task CollectVaultApiAsync(DiagnosticsCluster cluster, SecretValue? rootToken, BundleFiles files, CollectionSteps steps, CancellationToken cancellationToken)
    {
        var folder = ClusterFolder(cluster);
        if (cluster.VaultAddress is null)
        {
            foreach (var file in new[] { "leader.json", "raft-configuration.json", "autopilot-state.json" })
            {
                steps.Skip($"{folder}/{file}", "The Vault API address of this cluster is not known (its LoadBalancer had no IP yet).");
            }

            return;
        }

        VaultClient client;
        try
        {
            client = _createVaultClient(cluster.VaultAddress, cluster.CaCertificatePem, rootToken);
        }
        catch (ArgumentException ex)
        {
            steps.Skip($"{folder}/Vault API", $"No Vault client for {cluster.VaultAddress}: {ex.Message}");
            return;
        }

        using (client)
        {
            var where = $"Vault at {cluster.VaultAddress}";
            List<Task> reads =
            [
                WriteVaultJsonAsync(steps, files, $"{folder}/leader.json", $"GET /v1/sys/leader of {where}.", async ct => await client.GetLeaderAsync(ct), cancellationToken),
            ];
            if (rootToken is null)
            {
                steps.Skip($"{folder}/raft-configuration.json", "Needs the root token, which could not be read (see root-token).");
                steps.Skip($"{folder}/autopilot-state.json", "Needs the root token, which could not be read (see root-token).");
            }
            else
            {
                reads.Add(WriteVaultJsonAsync(steps, files, $"{folder}/raft-configuration.json", $"GET /v1/sys/storage/raft/configuration of {where}: Raft peers, voters, leader.", async ct => await client.GetRaftConfigurationAsync(ct), cancellationToken));
                reads.Add(WriteVaultJsonAsync(steps, files, $"{folder}/autopilot-state.json", $"GET /v1/sys/storage/raft/autopilot/state of {where} (null while autopilot is starting).", async ct => await client.GetAutopilotStateAsync(ct), cancellationToken));
            }

            await Task.WhenAll(reads);
        }
    }

    private async Task CollectCentralVaultLogAsync(DiagnosticsRequest request, BundleFiles files, CollectionSteps steps, CancellationToken cancellationToken)
    {
        const string path = "central-vault.log";
        if (request.CentralVaultContainer is null)
        {
            steps.Skip(path, "There is no central Vault container (not started yet, or not part of this environment).");
            return;
        }

        await WriteTextStepAsync(
            steps,
            files,
            path,
            $"Logs of the central Vault container {request.CentralVaultContainer} (transit auto-unseal and key store).",
            ct => _readContainerLogs(request.CentralVaultContainer, ct),
            cancellationToken);
    }

    private async Task CopyTimingReportAsync(DiagnosticsRequest request, BundleFiles files, CollectionSteps steps, CancellationToken cancellationToken)
    {
        if (request.TimingReportPath is null)
        {
            steps.Skip("timing-report", "No timing report was written for this session.");
            return;
        }

        var path = "timing-report" + Path.GetExtension(request.TimingReportPath);
        await WriteTextStepAsync(
            steps,
            files,
            path,
            $"A copy of the phase timing report {Path.GetFileName(request.TimingReportPath)}.",
            ct => File.ReadAllTextAsync(request.TimingReportPath, ct),
            cancellationToken);
    }

    // Any text source (kubectl, Docker, a file) into one bundle file, as one step.
    private Task WriteTextStepAsync(
        CollectionSteps steps,
        BundleFiles files,
        string path,
        string description,
        Func<CancellationToken, Task<string>> read,
        CancellationToken cancellationToken) =>
        steps.RunAsync(path, _options.StepTimeout, async ct => await files.WriteTextAsync(path, await read(ct), description, ct), cancellationToken);

    private Task WriteVaultJsonAsync<T>(
        CollectionSteps steps,
        BundleFiles files,
        string path,
        string description,
        Func<CancellationToken, Task<T>> read,
        CancellationToken cancellationToken) =>
        steps.RunAsync(
            path,
            _options.StepTimeout,
            async ct => await files.WriteTextAsync(path, JsonSerializer.Serialize(await read(ct), VaultJsonIndented) + "\n", description, ct),
            cancellationToken);

    private static string ClusterFolder(DiagnosticsCluster cluster) => BundleFiles.SafeName(cluster.Name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Diagnostics bundle written to {Path} ({Failed} collection(s) failed; see its README.md)")]
    private static partial void LogBundleWritten(ILogger logger, string path, int failed);
}
