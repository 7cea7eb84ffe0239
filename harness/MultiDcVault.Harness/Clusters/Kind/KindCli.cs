using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;
using MultiDcVault.Harness.Infrastructure.Processes;
using MultiDcVault.Harness.Infrastructure.Vault;
using MultiDcVault.Harness.Infrastructure.Polling;

namespace MultiDcVault.Harness.Clusters.Kind;

/// <summary>
/// The kind CLI. Every cluster gets its own kubeconfig file (--kubeconfig), so parallel
/// create/delete never fight over one file and the user's ~/.kube/config is never touched.
/// </summary>
internal sealed partial class KindCli
{
    /// <summary>kind's own Docker network; any other network is selected through <see cref="NetworkVariable"/>.</summary>
    public const string DefaultNetwork = "kind";

    /// <summary>Read by kind's docker provider to put nodes on another network (kind v0.11+).</summary>
    public const string NetworkVariable = "KIND_EXPERIMENTAL_DOCKER_NETWORK";

    /// <summary>
    /// Read by the kind CLI to pick podman or nerdctl instead of Docker (kind v0.32.0 pkg/internal/runtime/runtime.go);
    /// empty means auto-detect, which tries Docker first. Blanked on every call: the harness's nodes are Docker containers,
    /// and a podman choice inherited from the shell would make kind report clusters it never looked for as deleted.
    /// </summary>
    public const string ProviderVariable = "KIND_EXPERIMENTAL_PROVIDER";

    /// <summary>kind's create error when the name is taken (pkg/cluster/internal/create: "node(s) already exist for a cluster with the name ...").</summary>
    private const string NameTakenMarker = "already exist for a cluster with the name";

    /// <summary>Start of ctr's error for a blob missing from an imported archive ("content digest sha256:...: not found").</summary>
    private const string ContentDigestMarker = "content digest";

    private readonly IProcessRunner _runner;
    private readonly KindCliOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public KindCli(IProcessRunner runner, KindCliOptions? options = null, TimeProvider? timeProvider = null, ILogger<KindCli>? logger = null)
    {
        _runner = runner ?? throw new ArgumentNullException(nameof(runner));
        _options = options ?? new KindCliOptions();
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>
    /// `kind create cluster`, writing the cluster's kubeconfig to <paramref name="kubeconfigPath"/> only.
    /// A failed attempt is deleted and retried (<see cref="KindCliOptions.CreateRetries"/>), because
    /// kind leaves half-made node containers behind and a second attempt on a busy machine often succeeds.
    /// When the name is already taken nothing is deleted: <see cref="KindClusterExistsException"/>.
    /// </summary>
    public async Task CreateClusterAsync(
        string name,
        string configPath,
        string nodeImage,
        string kubeconfigPath,
        TimeSpan wait,
        string network,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(configPath);
        ArgumentException.ThrowIfNullOrEmpty(nodeImage);
        ArgumentException.ThrowIfNullOrEmpty(kubeconfigPath);
        ArgumentException.ThrowIfNullOrEmpty(network);

        var spec = new ProcessSpec(
            _options.Executable,
            ["create", "cluster", "--name", name, "--config", configPath, "--image", nodeImage, "--kubeconfig", kubeconfigPath, "--wait", GoDuration(wait)])
        {
            // An empty value for the default network neutralises one exported in the user's shell
            // (kind treats empty as unset), so the plan alone decides where the nodes go.
            Environment = new Dictionary<string, string>
            {
                [NetworkVariable] = network == DefaultNetwork ? string.Empty : network,
                [ProviderVariable] = string.Empty,
            },
            Timeout = wait + _options.CreateOverhead,
        };

        try
        {
            await Poll.RetryAsync(
                ct => _runner.RunAsync(spec, ct),
                ex => ex is ProcessTimeoutException || (ex is ProcessFailedException failed && !IsNameTaken(failed)),
                PollSchedule.Attempts(_options.CreateRetries + 1, _options.RetryDelay),
                _time,
                cancellationToken,
                async (retry, ct) =>
                {
                    LogRetrying(_logger, name, retry.Attempt, _options.CreateRetries, retry.Exception?.Message ?? string.Empty);
                    await DeleteClusterAsync(name, kubeconfigPath, ct);
                });
        }
        catch (ProcessFailedException ex) when (IsNameTaken(ex))
        {
            // kind checks for the name before it creates anything, so this attempt made nothing:
            // the nodes belong to someone else (or an earlier run), and deleting them is never ours to do.
            throw new KindClusterExistsException(name, ex);
        }
    }

    /// <summary>True when kind refused to create because node containers of that cluster name already exist.</summary>
    public static bool IsNameTaken(ProcessFailedException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return (error.StandardErrorTail + "\n" + error.StandardOutputTail).Contains(NameTakenMarker, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>`kind delete cluster`; succeeds when the cluster does not exist (kind treats that as done).</summary>
    public Task DeleteClusterAsync(string name, string kubeconfigPath, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(kubeconfigPath);
        return RunAsync(["delete", "cluster", "--name", name, "--kubeconfig", kubeconfigPath], cancellationToken);
    }

    /// <summary>Names of all kind clusters on this Docker engine (kind prints "No kind clusters found." on stderr when empty).</summary>
    public async Task<IReadOnlyList<string>> GetClustersAsync(CancellationToken cancellationToken)
    {
        var result = await RunAsync(["get", "clusters"], cancellationToken);
        return [.. result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
    }

    /// <summary>
    /// `kind load docker-image IMAGE... --name CLUSTER`: kind `docker save`s the images once and imports
    /// the archive into every node of the cluster (kind v0.32.0 load/docker-image: a node whose image ID equals the
    /// local one is skipped; with Docker's containerd image store the IDs never match, so it imports again, kind#4236).
    /// </summary>
    public Task LoadDockerImagesAsync(string clusterName, IReadOnlyList<string> images, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(clusterName);
        ArgumentNullException.ThrowIfNull(images);
        if (images.Count == 0 || images.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("Give at least one image, none empty.", nameof(images));
        }

        return RunAsync(["load", "docker-image", .. images, "--name", clusterName], cancellationToken);
    }

    /// <summary>`kind load image-archive ARCHIVE --name CLUSTER`: imports a `docker save` archive into every node.</summary>
    public Task LoadImageArchiveAsync(string clusterName, string archivePath, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(clusterName);
        ArgumentException.ThrowIfNullOrEmpty(archivePath);
        return RunAsync(["load", "image-archive", archivePath, "--name", clusterName], cancellationToken);
    }

    /// <summary>
    /// True for the node-side import failure of kubernetes-sigs/kind#3795: with Docker's containerd image
    /// store, `docker save` exports the whole multi-platform index (and BuildKit attestations) although
    /// only one platform's blobs are present, and the node's `ctr images import --all-platforms` stops at
    /// the first missing blob ("ctr: content digest sha256:...: not found").
    /// </summary>
    public static bool IsContentDigestNotFound(ProcessFailedException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var text = error.StandardErrorTail + "\n" + error.StandardOutputTail;
        var at = text.IndexOf(ContentDigestMarker, StringComparison.OrdinalIgnoreCase);
        return at >= 0 && text.IndexOf("not found", at, StringComparison.OrdinalIgnoreCase) > at;
    }

    /// <summary>Node logs (kubelet, containerd, pods) into <paramref name="directory"/>, for diagnostics bundles.</summary>
    public Task ExportLogsAsync(string clusterName, string directory, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(clusterName);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        return RunAsync(["export", "logs", directory, "--name", clusterName], cancellationToken);
    }

    public async Task<ToolVersion> GetVersionAsync(CancellationToken cancellationToken)
    {
        var result = await RunAsync(["version"], cancellationToken, TimeSpan.FromSeconds(30));
        return ParseVersion(result.StandardOutput);
    }

    /// <summary>
    /// Parses `kind version`: "kind v0.29.0 go1.24.2 linux/amd64" (v0.6+), "kind v0.33.0-alpha+abc go1.25 linux/amd64"
    /// (pre-release builds), or the bare "v0.5.1" / "0.20.0" of old releases and `kind version -q`.
    /// </summary>
    public static ToolVersion ParseVersion(string output) => ToolVersion.Parse(output);

    /// <summary>A Go duration string for --wait ("5m", "90s").</summary>
    internal static string GoDuration(TimeSpan value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value.Ticks);
        var seconds = (long)Math.Ceiling(value.TotalSeconds);
        return seconds % 60 == 0 && seconds > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{seconds / 60}m")
            : string.Create(CultureInfo.InvariantCulture, $"{seconds}s");
    }

    private Task<ProcessResult> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        _runner.RunAsync(
            new ProcessSpec(_options.Executable, arguments)
            {
                Timeout = timeout ?? _options.CommandTimeout,
                Environment = new Dictionary<string, string> { [ProviderVariable] = string.Empty },
            },
            cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "kind create cluster {Name} failed (attempt {Attempt} of {Retries} retries); deleting it and trying again: {Reason}")]
    private static partial void LogRetrying(ILogger logger, string name, int attempt, int retries, string reason);
}
