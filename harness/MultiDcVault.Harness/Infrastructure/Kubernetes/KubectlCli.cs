using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json;
using System.Text.RegularExpressions;
using MultiDcVault.Harness.Infrastructure.Processes;

namespace MultiDcVault.Harness.Infrastructure.Kubernetes;

/// <summary>
/// The kubectl CLI, for what the Kubernetes API does not offer: the port-forward to a Service (Docker Desktop,
/// where LB IPs are not routable from the host), the text of `describe`, `get all -o wide` and events for the
/// diagnostics bundle, and the client version for the doctor. Everything else goes through
/// <see cref="KubernetesApi"/>. Every call names its kubeconfig file and context explicitly (first two flags),
/// so nothing depends on $KUBECONFIG or ~/.kube/config.
/// </summary>
internal sealed partial class KubectlCli
{
    private readonly IProcessRunner _runner;
    private readonly IBackgroundProcessLauncher? _launcher;
    private readonly KubectlOptions _options;

    /// <param name="runner">Runs each call.</param>
    /// <param name="launcher">Starts port-forwards; defaults to <paramref name="runner"/> when it can (as <see cref="ProcessRunner"/> does).</param>
    public KubectlCli(IProcessRunner runner, IBackgroundProcessLauncher? launcher = null, KubectlOptions? options = null)
    {
        _runner = runner ?? throw new ArgumentNullException(nameof(runner));
        _launcher = launcher ?? runner as IBackgroundProcessLauncher;
        _options = options ?? new KubectlOptions();
    }

    public async Task<string> DescribeAsync(KubeTarget target, string @namespace, string resource, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(resource);
        var result = await RunAsync(target, ["describe", "--namespace", @namespace, resource], cancellationToken, spec => spec with { LogOutput = false });
        return result.StandardOutput;
    }

    /// <summary>`get all -A -o wide`: a snapshot for diagnostics bundles.</summary>
    public async Task<string> GetAllAsync(KubeTarget target, CancellationToken cancellationToken)
    {
        var result = await RunAsync(target, ["get", "all", "--all-namespaces", "-o", "wide"], cancellationToken, spec => spec with { LogOutput = false });
        return result.StandardOutput;
    }

    /// <summary>All events, oldest first, for diagnostics bundles.</summary>
    public async Task<string> GetEventsAsync(KubeTarget target, CancellationToken cancellationToken)
    {
        var result = await RunAsync(target, ["get", "events", "--all-namespaces", "--sort-by=.lastTimestamp"], cancellationToken, spec => spec with { LogOutput = false });
        return result.StandardOutput;
    }

    /// <summary>
    /// Starts `kubectl port-forward` on 127.0.0.1 (local port 0: kubectl picks a free one) and returns once
    /// kubectl reports "Forwarding from 127.0.0.1:&lt;port&gt;". Dispose the session to stop it.
    /// </summary>
    public async Task<PortForwardSession> PortForwardAsync(
        KubeTarget target,
        string @namespace,
        string resource,
        int remotePort,
        CancellationToken cancellationToken,
        int localPort = 0,
        TimeSpan? readyTimeout = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(resource);
        var launcher = _launcher ?? throw new InvalidOperationException("Port-forwarding needs an IBackgroundProcessLauncher (ProcessRunner is one).");
        var local = localPort == 0 ? string.Empty : localPort.ToString(CultureInfo.InvariantCulture);
        var spec = Spec(target, ["port-forward", "--namespace", @namespace, resource, $"{local}:{remotePort.ToString(CultureInfo.InvariantCulture)}", "--address", "127.0.0.1"]) with
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };

        var process = launcher.Start(spec);
        try
        {
            var line = await process.WaitForOutputLineAsync(l => ForwardingLine().IsMatch(l), readyTimeout ?? TimeSpan.FromSeconds(30), cancellationToken);
            var port = int.Parse(ForwardingLine().Match(line).Groups["port"].Value, NumberStyles.None, CultureInfo.InvariantCulture);
            return new PortForwardSession(process, port, remotePort);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>The client version only (`version --client -o json`): needs no cluster, so it also works for the doctor.</summary>
    public async Task<ToolVersion> GetClientVersionAsync(CancellationToken cancellationToken)
    {
        var spec = new ProcessSpec(_options.Executable, ["version", "--client", "-o", "json"]) { Timeout = TimeSpan.FromSeconds(30), LogOutput = false };
        var result = await _runner.RunAsync(spec, cancellationToken);
        return ParseClientVersion(result.StandardOutput);
    }

    /// <summary>
    /// Reads clientVersion.gitVersion ("v1.32.4", vendor builds add suffixes like "v1.32.4-dispatcher" or
    /// "v1.31.2+k3s1") from `kubectl version --client -o json`; falls back to the first version in plain text.
    /// </summary>
    public static ToolVersion ParseClientVersion(string output)
    {
        try
        {
            var gitVersion = JsonNode.Parse(output)?["clientVersion"]?["gitVersion"]?.GetValue<string>();
            if (ToolVersion.TryParse(gitVersion) is { } version)
            {
                return version;
            }
        }
        catch (JsonException)
        {
            // Not JSON: e.g. "Client Version: v1.32.4" from a wrapper script.
        }

        return ToolVersion.Parse(output);
    }

    /// <summary>The ProcessSpec of a kubectl call: kubeconfig and context first, then the command.</summary>
    internal ProcessSpec Spec(KubeTarget target, IReadOnlyList<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentException.ThrowIfNullOrEmpty(target.KubeconfigPath);
        ArgumentException.ThrowIfNullOrEmpty(target.Context);
        return new ProcessSpec(_options.Executable, ["--kubeconfig", target.KubeconfigPath, "--context", target.Context, .. arguments])
        {
            Timeout = _options.CommandTimeout,
        };
    }

    private Task<ProcessResult> RunAsync(KubeTarget target, IReadOnlyList<string> arguments, CancellationToken cancellationToken, Func<ProcessSpec, ProcessSpec>? adjust = null)
    {
        var spec = Spec(target, arguments);
        return _runner.RunAsync(adjust is null ? spec : adjust(spec), cancellationToken);
    }

    [GeneratedRegex(@"^Forwarding from 127\.0\.0\.1:(?<port>\d+) -> \d+")]
    private static partial Regex ForwardingLine();
}
