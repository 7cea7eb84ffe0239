using MultiDcVault.Harness.Infrastructure.Polling;
using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace MultiDcVault.Harness.Infrastructure.Kubernetes;

/// <summary>
/// The Kubernetes API of each cluster through KubernetesClient, one client per kubeconfig file and context
/// (see <see cref="KubeconfigLoader"/>). Typed reads, deletes, logs, waits (polls on the injected clock) and
/// server-side apply (<see cref="ServerSideApply"/>). Response bodies are never logged: they may hold secrets.
/// </summary>
internal sealed class KubernetesApi : IKubernetesOperations, IDisposable
{
    public const string VaultGroup = "vault.banzaicloud.com";
    public const string VaultVersion = "v1alpha1";
    public const string VaultPlural = "vaults";

    // Keyed on the file's write time too: a cluster recreated at the same path (down, then up, in one
    // process) has a new port and CA, and must not be reached through the old client.
    private readonly ConcurrentDictionary<(KubeTarget Target, DateTime Written), Lazy<Connection>> _connections = new();
    private readonly KubernetesApiOptions _options;
    private readonly TimeProvider _time;

    public KubernetesApi(KubernetesApiOptions? options = null, TimeProvider? timeProvider = null)
    {
        _options = options ?? new KubernetesApiOptions();
        _time = timeProvider ?? TimeProvider.System;
    }

    public Task ApplyAsync(KubeTarget target, string manifest, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(manifest);
        var objects = ManifestDocuments.Parse(manifest);
        return Connect(target).Applier.ApplyAsync(objects, cancellationToken);
    }

    /// <summary>Server-side apply of a manifest file (e.g. MetalLB's native manifest from the tool cache).</summary>
    public async Task ApplyFileAsync(KubeTarget target, string manifestPath, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(manifestPath);
        await ApplyAsync(target, await File.ReadAllTextAsync(manifestPath, cancellationToken), cancellationToken);
    }

    public Task<V1Pod?> TryGetPodAsync(KubeTarget target, string @namespace, string name, CancellationToken cancellationToken) =>
        TryAsync($"get pod {@namespace}/{name}", (c, ct) => c.CoreV1.ReadNamespacedPodAsync(name, @namespace, cancellationToken: ct), target, cancellationToken);

    public Task<V1Service?> TryGetServiceAsync(KubeTarget target, string @namespace, string name, CancellationToken cancellationToken) =>
        TryAsync($"get service {@namespace}/{name}", (c, ct) => c.CoreV1.ReadNamespacedServiceAsync(name, @namespace, cancellationToken: ct), target, cancellationToken);

    public Task<V1Secret?> TryGetSecretAsync(KubeTarget target, string @namespace, string name, CancellationToken cancellationToken) =>
        TryAsync($"get secret {@namespace}/{name}", (c, ct) => c.CoreV1.ReadNamespacedSecretAsync(name, @namespace, cancellationToken: ct), target, cancellationToken);

    public async Task<V1Secret> GetSecretAsync(KubeTarget target, string @namespace, string name, CancellationToken cancellationToken) =>
        await TryGetSecretAsync(target, @namespace, name, cancellationToken)
        ?? throw new KubernetesApiException($"get secret {@namespace}/{name} in {target}", HttpStatusCode.NotFound, "the Secret does not exist");

    public Task<V1StatefulSet?> TryGetStatefulSetAsync(KubeTarget target, string @namespace, string name, CancellationToken cancellationToken) =>
        TryAsync($"get statefulset {@namespace}/{name}", (c, ct) => c.AppsV1.ReadNamespacedStatefulSetAsync(name, @namespace, cancellationToken: ct), target, cancellationToken);

    /// <summary>Pods matching <paramref name="selector"/> in <paramref name="namespace"/>, or in all namespaces when it is null.</summary>
    public Task<V1PodList> ListPodsAsync(KubeTarget target, string? @namespace, string selector, CancellationToken cancellationToken) =>
        CallAsync(
            $"list pods '{selector}' in {@namespace ?? "all namespaces"}",
            (c, ct) => @namespace is null
                ? c.CoreV1.ListPodForAllNamespacesAsync(labelSelector: selector, cancellationToken: ct)
                : c.CoreV1.ListNamespacedPodAsync(@namespace, labelSelector: selector, cancellationToken: ct),
            target,
            cancellationToken);

    /// <summary>The Bank-Vaults Vault resource as the server returned it (for the diagnostics bundle), or null when absent.</summary>
    public async Task<JsonObject?> TryGetVaultObjectAsync(KubeTarget target, string @namespace, string name, CancellationToken cancellationToken)
    {
        var element = await TryAsync<JsonElement?>(
            $"get vault {@namespace}/{name}",
            async (c, ct) => await c.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>(VaultGroup, VaultVersion, @namespace, VaultPlural, name, ct),
            target,
            cancellationToken);
        return element is { } found ? JsonNode.Parse(found.GetRawText())?.AsObject() : null;
    }

    /// <summary>The Vault resource's status (nodes, leader, conditions), or null when absent.</summary>
    public async Task<VaultResource?> TryGetVaultAsync(KubeTarget target, string @namespace, string name, CancellationToken cancellationToken) =>
        await TryGetVaultObjectAsync(target, @namespace, name, cancellationToken) is { } found ? VaultResource.From(found) : null;

    /// <summary>
    /// JSON merge patch (RFC 7386, application/merge-patch+json) of the Vault resource, as `kubectl patch vault &lt;name&gt;
    /// --type merge -p &lt;patch&gt; --field-manager &lt;ours&gt;` sends it: only the fields in <paramref name="patch"/> change,
    /// so one field (spec.image) moves without re-applying, and without owning, the rest of the CR. Absent is an error.
    /// </summary>
    /// <returns>The resource as the server returned it after the patch.</returns>
    public async Task<JsonObject> MergePatchVaultAsync(KubeTarget target, string @namespace, string name, JsonObject patch, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(patch);
        var body = new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch);
        var element = await CallAsync(
            $"patch vault {@namespace}/{name}",
            async (c, ct) => await c.CustomObjects.PatchNamespacedCustomObjectAsync<JsonElement>(
                body, VaultGroup, VaultVersion, @namespace, VaultPlural, name, fieldManager: _options.FieldManager, cancellationToken: ct),
            target,
            cancellationToken);
        return JsonNode.Parse(element.GetRawText())?.AsObject() ?? throw new FormatException($"The server answered the patch of vault {@namespace}/{name} with an empty body.");
    }

    /// <summary>Deletes a pod without waiting for it to go (finalizers and grace run on); absent is fine.</summary>
    public async Task DeletePodAsync(KubeTarget target, string @namespace, string name, CancellationToken cancellationToken)
    {
        // Background propagation: what kubectl delete sends by default.
        await TryAsync<object>(
            $"delete pod {@namespace}/{name}",
            async (c, ct) => await c.CoreV1.DeleteNamespacedPodAsync(name, @namespace, new V1DeleteOptions { PropagationPolicy = "Background" }, cancellationToken: ct),
            target,
            cancellationToken);
    }

    public async Task<string> LogsAsync(KubeTarget target, string @namespace, string pod, string? container, int? tail, CancellationToken cancellationToken, bool previous = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(pod);
        return await CallAsync(
            $"logs of {@namespace}/{pod}{(container is null ? string.Empty : "/" + container)}",
            async (c, ct) =>
            {
                await using var stream = await c.CoreV1.ReadNamespacedPodLogAsync(
                    pod, @namespace, container: container, previous: previous ? true : null, tailLines: tail, cancellationToken: ct);
                using var reader = new StreamReader(stream);
                return await reader.ReadToEndAsync(ct);
            },
            target,
            cancellationToken);
    }

    public Task WaitForDeploymentAvailableAsync(KubeTarget target, string @namespace, string name, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var seen = "the Deployment does not exist yet";
        return PollAsync<object>(
            async ct =>
            {
                var deployment = await TryAsync($"get deployment {@namespace}/{name}", (c, rt) => c.AppsV1.ReadNamespacedDeploymentAsync(name, @namespace, cancellationToken: rt), target, ct);
                var available = deployment?.Status?.Conditions?.FirstOrDefault(c => c.Type == "Available");
                seen = deployment is null ? "the Deployment does not exist yet" : $"Available={available?.Status ?? "unknown"} ({available?.Message})";
                return available?.Status == "True" ? deployment : null;
            },
            timeout,
            () => $"Deployment {@namespace}/{name} in {target} was not Available after {timeout}: {seen}.",
            cancellationToken);
    }

    /// <summary>Polls until at least <paramref name="minimumCount"/> pods match <paramref name="selector"/> and all are Ready.</summary>
    public async Task<IReadOnlyList<V1Pod>> WaitForPodsReadyAsync(
        KubeTarget target,
        string @namespace,
        string selector,
        TimeSpan timeout,
        CancellationToken cancellationToken,
        int minimumCount = 1)
    {
        ArgumentException.ThrowIfNullOrEmpty(selector);
        IReadOnlyList<V1Pod> last = [];
        return await PollAsync(
            async ct =>
            {
                last = [.. (await ListPodsAsync(target, @namespace, selector, ct)).Items];
                return last.Count >= minimumCount && last.All(p => p.IsReady()) ? last : null;
            },
            timeout,
            () => $"Pods '{selector}' in namespace {@namespace} of {target} were not all Ready after {timeout}. Last seen: " +
                  (last.Count == 0 ? "no pods" : string.Join(", ", last.Select(p => $"{p.Metadata.Name} ({p.Status?.Phase}, ready={p.IsReady()})"))) +
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
                var svc = await TryGetServiceAsync(target, @namespace, service, ct);
                seen = svc is null ? "the Service does not exist yet" : $"type {svc.Spec?.Type}, no ingress IP";
                return svc?.LoadBalancerIp();
            },
            timeout,
            () => $"Service {@namespace}/{service} in {target} got no LoadBalancer IP within {timeout} ({seen}). " +
                  "Check that MetalLB's controller and speakers run and that an IPAddressPool with free addresses and an L2Advertisement exist in metallb-system.",
            cancellationToken);
    }

    public void Dispose()
    {
        foreach (var connection in _connections.Values.Where(c => c.IsValueCreated))
        {
            connection.Value.Client.Dispose();
        }

        _connections.Clear();
    }

    private Connection Connect(KubeTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var written = File.Exists(target.KubeconfigPath) ? File.GetLastWriteTimeUtc(target.KubeconfigPath) : DateTime.MinValue;
        // PublicationOnly: a failed load (file not there yet) is not cached; the next call tries again.
        return _connections.GetOrAdd((target, written), key => new Lazy<Connection>(() =>
        {
            var t = key.Target;
            var config = KubeconfigLoader.Load(t);
            // Each request gets its own timeout (RequestTimeout, on the injected clock) so that one that fires is
            // told apart from the caller's cancellation and surfaces as a TimeoutException naming the operation.
            config.HttpClientTimeout = Timeout.InfiniteTimeSpan;
            var client = new k8s.Kubernetes(config);
            return new Connection(client, new ServerSideApply(client, t.ToString(), _options, _time));
        }, LazyThreadSafetyMode.PublicationOnly)).Value;
    }

    private async Task<T> CallAsync<T>(string operation, Func<k8s.Kubernetes, CancellationToken, Task<T>> call, KubeTarget target, CancellationToken cancellationToken)
    {
        var what = $"{operation} in {target}";
        using var request = RequestScope.Start(_options.RequestTimeout, _time, cancellationToken);
        try
        {
            return await call(Connect(target).Client, request.Token);
        }
        catch (HttpOperationException ex)
        {
            throw Failure(what, ex);
        }
        catch (OperationCanceledException ex) when (request.TimedOut)
        {
            throw TimedOut(what, _options.RequestTimeout, ex);
        }
    }

    private async Task<T?> TryAsync<T>(string operation, Func<k8s.Kubernetes, CancellationToken, Task<T>> call, KubeTarget target, CancellationToken cancellationToken)
    {
        try
        {
            return await CallAsync(operation, call, target, cancellationToken);
        }
        catch (KubernetesApiException ex) when (ex.Status == HttpStatusCode.NotFound)
        {
            // Any other failure (API server down, forbidden) must not look like "absent".
            return default;
        }
    }

    /// <summary>A refused call: the Status message in the exception and in its inner HttpRequestException (which keeps the client's own).</summary>
    internal static KubernetesApiException Failure(string what, HttpOperationException ex)
    {
        var status = ex.Response?.StatusCode ?? HttpStatusCode.InternalServerError;
        var message = StatusMessage(ex.Response?.Content);
        return new KubernetesApiException(what, status, message, new HttpRequestException(message, ex, status));
    }

    internal static TimeoutException TimedOut(string what, TimeSpan timeout, Exception cancellation) =>
        new($"{what}: the API server did not answer within {timeout} (KubernetesApiOptions.RequestTimeout).", cancellation);

    /// <summary>The message of a Kubernetes Status body, else the start of the body.</summary>
    internal static string StatusMessage(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return "(no body)";
        }

        try
        {
            if (JsonNode.Parse(body)?["message"] is JsonValue message && message.TryGetValue<string>(out var text))
            {
                return text;
            }
        }
        catch (JsonException)
        {
            // Not a Status document: show its start.
        }

        return body.Length <= 300 ? body : body[..300];
    }

    // A transient failure (the API server restarting or busy right after cluster creation, a request
    // timeout) is one more poll, not the end of the wait; the timeout message names the last one.
    private Task<T> PollAsync<T>(Func<CancellationToken, Task<T?>> attempt, TimeSpan timeout, Func<string> describeFailure, CancellationToken cancellationToken)
        where T : class
    {
        string? lastTransient = null;
        return Poll.UntilAsync(
            async ct =>
            {
                try
                {
                    var value = await attempt(ct);
                    lastTransient = null;
                    return value;
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested && IsTransient(e))
                {
                    lastTransient = e.Message;
                    return null;
                }
            },
            timeout,
            _options.PollInterval,
            _time,
            () => describeFailure() + (lastTransient is null ? string.Empty : $" (last read failed: {lastTransient})"),
            cancellationToken);
    }

    private static bool IsTransient(Exception e) => e switch
    {
        KubernetesApiException api => (int)api.Status is 429 or >= 500,
        HttpRequestException or TimeoutException or IOException => true,
        _ => false,
    };

    private sealed record Connection(k8s.Kubernetes Client, ServerSideApply Applier);
}
