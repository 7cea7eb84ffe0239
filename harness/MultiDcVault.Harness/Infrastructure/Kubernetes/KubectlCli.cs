using MultiDcVault.Harness.Infrastructure.Polling;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json;
using System.Text.RegularExpressions;
using MultiDcVault.Harness.Infrastructure.Processes;

namespace MultiDcVault.Harness.Infrastructure.Kubernetes;

/// <summary>
/// The kubectl CLI. Every call names its kubeconfig file and context explicitly (first two
/// flags), so nothing depends on $KUBECONFIG or ~/.kube/config.
/// </summary>
public sealed partial class KubectlCli
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly IProcessRunner _runner;
    private readonly IBackgroundProcessLauncher? _launcher;
    private readonly KubectlOptions _options;
    private readonly TimeProvider _time;

    /// <param name="runner">Runs each call.</param>
    /// <param name="launcher">Starts port-forwards; defaults to <paramref name="runner"/> when it can (as <see cref="ProcessRunner"/> does).</param>
    public KubectlCli(IProcessRunner runner, IBackgroundProcessLauncher? launcher = null, KubectlOptions? options = null, TimeProvider? timeProvider = null)
    {
        _runner = runner ?? throw new ArgumentNullException(nameof(runner));
        _launcher = launcher ?? runner as IBackgroundProcessLauncher;
        _options = options ?? new KubectlOptions();
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Server-side apply of a multi-document manifest fed through stdin; strict validation catches misspelt fields.</summary>
    public Task ApplyAsync(KubeTarget target, string manifest, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(manifest);
        return RunAsync(
            target,
            ["apply", "--server-side", $"--field-manager={_options.FieldManager}", "--force-conflicts", "--validate=strict", "-f", "-"],
            cancellationToken,
            spec => spec with { StandardInput = manifest });
    }

    /// <summary>
    /// Server-side apply of a manifest file (e.g. MetalLB's native manifest from the tool cache).
    /// Server-side because such manifests carry CRDs too large for the client-side last-applied annotation.
    /// </summary>
    public Task ApplyFileAsync(KubeTarget target, string manifestPath, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(manifestPath);
        return RunAsync(
            target,
            ["apply", "--server-side", $"--field-manager={_options.FieldManager}", "--force-conflicts", "-f", manifestPath],
            cancellationToken);
    }

    public Task WaitForDeploymentAvailableAsync(KubeTarget target, string @namespace, string name, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return RunAsync(
            target,
            ["wait", "--namespace", @namespace, "--for=condition=Available", $"deployment/{name}", $"--timeout={Seconds(timeout)}"],
            cancellationToken,
            spec => spec with { Timeout = timeout + TimeSpan.FromSeconds(30) });
    }

    /// <summary>
    /// Polls until at least <paramref name="minimumCount"/> pods match <paramref name="selector"/> and all are Ready.
    /// (`kubectl wait -l` fails at once while no pod exists yet, which is normal right after an install.)
    /// </summary>
    public async Task<IReadOnlyList<KubePod>> WaitForPodsReadyAsync(
        KubeTarget target,
        string @namespace,
        string selector,
        TimeSpan timeout,
        CancellationToken cancellationToken,
        int minimumCount = 1)
    {
        ArgumentException.ThrowIfNullOrEmpty(selector);
        IReadOnlyList<KubePod> last = [];
        return await PollAsync(
            async ct =>
            {
                last = (await GetJsonAsync<KubeList<KubePod>>(target, @namespace, ["pods", "--selector", selector], ct)).Items;
                return last.Count >= minimumCount && last.All(p => p.IsReady) ? last : null;
            },
            timeout,
            () => $"Pods '{selector}' in namespace {@namespace} of {target} were not all Ready after {timeout}. Last seen: " +
                  (last.Count == 0 ? "no pods" : string.Join(", ", last.Select(p => $"{p.Metadata.Name} ({p.Status?.Phase}, ready={p.IsReady})"))) +
                  $". Check with: kubectl --kubeconfig {target.KubeconfigPath} --context {target.Context} describe pods -n {@namespace} -l {selector}",
            cancellationToken);
    }

    /// <summary>Polls the Service until MetalLB gave it an ingress IP; the Service may not exist yet (the operator creates it).</summary>
    public async Task<string> WaitForLoadBalancerIpAsync(KubeTarget target, string @namespace, string service, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(service);
        var seen = "the Service does not exist yet";
        return await PollAsync(
            async ct =>
            {
                var svc = await TryGetJsonAsync<KubeService>(target, @namespace, ["service", service], ct);
                seen = svc is null ? "the Service does not exist yet" : $"type {svc.Spec?.Type}, no ingress IP";
                return svc?.LoadBalancerIp;
            },
            timeout,
            () => $"Service {@namespace}/{service} in {target} got no LoadBalancer IP within {timeout} ({seen}). " +
                  "Check that MetalLB's controller and speakers run and that an IPAddressPool with free addresses and an L2Advertisement exist in metallb-system.",
            cancellationToken);
    }

    /// <summary>`kubectl get &lt;resourceArguments&gt; -o json` into <typeparamref name="T"/>. Output is never logged (it may hold secrets).</summary>
    public async Task<T> GetJsonAsync<T>(KubeTarget target, string? @namespace, IReadOnlyList<string> resourceArguments, CancellationToken cancellationToken)
    {
        var result = await RunAsync(target, GetArguments(@namespace, resourceArguments), cancellationToken, spec => spec with { LogOutput = false });
        return Deserialize<T>(result.StandardOutput, resourceArguments);
    }

    /// <summary>Like <see cref="GetJsonAsync{T}"/> for one named resource, e.g. ("vault", "vault-primary").</summary>
    public Task<T> GetJsonAsync<T>(KubeTarget target, string? @namespace, string resource, string name, CancellationToken cancellationToken) =>
        GetJsonAsync<T>(target, @namespace, [resource, name], cancellationToken);

    /// <summary>Like <see cref="GetJsonAsync{T}"/>, but null when the resource does not exist.</summary>
    public async Task<T?> TryGetJsonAsync<T>(KubeTarget target, string? @namespace, IReadOnlyList<string> resourceArguments, CancellationToken cancellationToken)
        where T : class
    {
        var spec = Spec(target, GetArguments(@namespace, resourceArguments)) with { LogOutput = false, ThrowOnNonZeroExit = false };
        var result = await _runner.RunAsync(spec, cancellationToken);
        if (result.ExitCode != 0)
        {
            if (result.StandardError.Contains("(NotFound)", StringComparison.Ordinal))
            {
                return null;
            }

            // Any other failure (API server down, bad kubeconfig) must not look like "absent".
            throw new ProcessFailedException(CommandLine.Format(spec), result.ExitCode, CommandLine.Redact(OutputTail.Of(result.StandardError), spec));
        }

        return Deserialize<T>(result.StandardOutput, resourceArguments);
    }

    public Task<VaultResource?> TryGetVaultAsync(KubeTarget target, string @namespace, string name, CancellationToken cancellationToken) =>
        TryGetJsonAsync<VaultResource>(target, @namespace, ["vaults.vault.banzaicloud.com", name], cancellationToken);

    /// <summary>Deletes e.g. "pod/vault-primary-0"; absent is fine. With <paramref name="wait"/> false it returns before finalizers ran.</summary>
    public Task DeleteAsync(KubeTarget target, string @namespace, string resource, CancellationToken cancellationToken, bool wait = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(resource);
        return RunAsync(target, ["delete", "--namespace", @namespace, resource, "--ignore-not-found", $"--wait={(wait ? "true" : "false")}"], cancellationToken);
    }

    public async Task<string> LogsAsync(KubeTarget target, string @namespace, string pod, string? container, int? tail, CancellationToken cancellationToken, bool previous = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(pod);
        List<string> arguments = ["logs", "--namespace", @namespace, pod];
        if (container is not null)
        {
            arguments.AddRange(["--container", container]);
        }

        if (tail is not null)
        {
            arguments.Add($"--tail={tail.Value.ToString(CultureInfo.InvariantCulture)}");
        }

        if (previous)
        {
            arguments.Add("--previous");
        }

        // Pod logs go to a file or the caller, not line by line into the harness log.
        var result = await RunAsync(target, arguments, cancellationToken, spec => spec with { LogOutput = false });
        return result.StandardOutput;
    }

    public Task<KubeSecret> GetSecretAsync(KubeTarget target, string @namespace, string name, CancellationToken cancellationToken) =>
        GetJsonAsync<KubeSecret>(target, @namespace, ["secret", name], cancellationToken);

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

    private Task<T> PollAsync<T>(Func<CancellationToken, Task<T?>> attempt, TimeSpan timeout, Func<string> describeFailure, CancellationToken cancellationToken)
        where T : class =>
        Poll.UntilAsync(attempt, timeout, _options.PollInterval, _time, describeFailure, cancellationToken);

    private static List<string> GetArguments(string? @namespace, IReadOnlyList<string> resourceArguments)
    {
        List<string> arguments = ["get"];
        if (@namespace is not null)
        {
            arguments.AddRange(["--namespace", @namespace]);
        }

        arguments.AddRange(resourceArguments);
        arguments.AddRange(["-o", "json"]);
        return arguments;
    }

    private static T Deserialize<T>(string json, IReadOnlyList<string> what)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Json) ?? throw new FormatException($"kubectl get {string.Join(' ', what)} returned no JSON document.");
        }
        catch (JsonException ex)
        {
            // The document itself may hold secret data, so only its shape problem is reported.
            throw new FormatException($"kubectl get {string.Join(' ', what)} returned JSON that does not fit {typeof(T).Name}: {ex.Message}", ex);
        }
    }

    private static string Seconds(TimeSpan value) => string.Create(CultureInfo.InvariantCulture, $"{(long)Math.Ceiling(value.TotalSeconds)}s");

    [GeneratedRegex(@"^Forwarding from 127\.0\.0\.1:(?<port>\d+) -> \d+")]
    private static partial Regex ForwardingLine();
}
