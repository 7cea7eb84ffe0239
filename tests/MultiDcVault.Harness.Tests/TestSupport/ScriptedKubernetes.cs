using System.Text.Json.Nodes;
using k8s.Models;
using MultiDcVault.Harness.Infrastructure.Kubernetes;

namespace MultiDcVault.Harness.Tests.TestSupport;

/// <summary>
/// The components' Kubernetes API seam answered by rules (the newest matching rule wins), each call recorded with
/// its start and end on the virtual clock and in one order shared with a <see cref="ScriptedProcessRunner"/>, so
/// API calls and helm/kind calls can be ordered against each other.
/// </summary>
internal sealed class ScriptedKubernetes(TimeProvider time, Func<long> nextOrder, Func<IDisposable>? running = null) : IKubernetesOperations
{
    public const string Apply = "apply";
    public const string ApplyFile = "apply file";
    public const string WaitDeployment = "wait deployment";
    public const string WaitPods = "wait pods";
    public const string WaitLoadBalancer = "wait load balancer";
    public const string GetSecret = "get secret";
    public const string ListPods = "list pods";
    public const string GetVault = "get vault";
    public const string Logs = "logs";

    private readonly Lock _gate = new();
    private readonly List<KubeApiCall> _calls = [];
    private readonly List<KubeRule> _rules = [];

    public ScriptedKubernetes(TimeProvider time, ScriptedProcessRunner runner)
        : this(time, runner.NextOrder, runner.Running)
    {
    }

    /// <summary>Every call so far, in start order.</summary>
    public IReadOnlyList<KubeApiCall> Calls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls];
            }
        }
    }

    public KubeRule When(Func<KubeApiCall, bool> predicate, string description)
    {
        var rule = new KubeRule(predicate, description);
        lock (_gate)
        {
            _rules.Add(rule);
        }

        return rule;
    }

    public KubeRule On(string operation) => When(c => c.Operation == operation, operation);

    public IReadOnlyList<KubeApiCall> CallsOf(string cluster, string operation) =>
        [.. Calls.Where(c => c.Cluster == cluster && c.Operation == operation)];

    public Task ApplyAsync(KubeTarget target, string manifest, CancellationToken cancellationToken) =>
        RunAsync<object>(target, Apply, null, null, manifest, cancellationToken);

    public Task ApplyFileAsync(KubeTarget target, string manifestPath, CancellationToken cancellationToken) =>
        RunAsync<object>(target, ApplyFile, null, manifestPath, null, cancellationToken);

    public Task WaitForDeploymentAvailableAsync(KubeTarget target, string @namespace, string name, TimeSpan timeout, CancellationToken cancellationToken) =>
        RunAsync<object>(target, WaitDeployment, @namespace, name, null, cancellationToken, timeout);

    public async Task<IReadOnlyList<V1Pod>> WaitForPodsReadyAsync(KubeTarget target, string @namespace, string selector, TimeSpan timeout, CancellationToken cancellationToken, int minimumCount = 1) =>
        await RunAsync<IReadOnlyList<V1Pod>>(target, WaitPods, @namespace, selector, null, cancellationToken, timeout) ?? [];

    public async Task<string> WaitForLoadBalancerIpAsync(KubeTarget target, string @namespace, string service, TimeSpan timeout, CancellationToken cancellationToken) =>
        await RunAsync<string>(target, WaitLoadBalancer, @namespace, service, null, cancellationToken, timeout)
        ?? throw new TimeoutException($"scripted: no LoadBalancer IP for {service}");

    public Task<V1Secret?> TryGetSecretAsync(KubeTarget target, string @namespace, string name, CancellationToken cancellationToken) =>
        RunAsync<V1Secret>(target, GetSecret, @namespace, name, null, cancellationToken);

    public async Task<V1Secret> GetSecretAsync(KubeTarget target, string @namespace, string name, CancellationToken cancellationToken) =>
        await TryGetSecretAsync(target, @namespace, name, cancellationToken)
        ?? throw new KubernetesApiException($"get secret {@namespace}/{name} in {target}", System.Net.HttpStatusCode.NotFound, "the Secret does not exist");

    public async Task<V1PodList> ListPodsAsync(KubeTarget target, string? @namespace, string selector, CancellationToken cancellationToken) =>
        await RunAsync<V1PodList>(target, ListPods, @namespace, selector, null, cancellationToken) ?? new V1PodList { Items = [] };

    public Task<JsonObject?> TryGetVaultObjectAsync(KubeTarget target, string @namespace, string name, CancellationToken cancellationToken) =>
        RunAsync<JsonObject>(target, GetVault, @namespace, name, null, cancellationToken);

    public async Task<string> LogsAsync(KubeTarget target, string @namespace, string pod, string? container, int? tail, CancellationToken cancellationToken, bool previous = false) =>
        await RunAsync<string>(target, Logs, @namespace, $"{pod} --container {container}{(previous ? " --previous" : string.Empty)}", null, cancellationToken) ?? string.Empty;

    private async Task<T?> RunAsync<T>(KubeTarget target, string operation, string? @namespace, string? name, string? manifest, CancellationToken cancellationToken, TimeSpan? timeout = null)
        where T : class
    {
        KubeRule? rule;
        KubeApiCall call;
        lock (_gate)
        {
            call = new KubeApiCall(target, operation, @namespace, name, manifest, timeout, nextOrder(), time.GetUtcNow());
            rule = _rules.LastOrDefault(r => r.TryClaim(call));
            _calls.Add(call);
        }

        using var inFlight = running?.Invoke();
        try
        {
            if (rule is null)
            {
                throw new InvalidOperationException($"ScriptedKubernetes has no rule for: {call}");
            }

            if (rule.Latency > TimeSpan.Zero)
            {
                await Task.Delay(rule.Latency, time, cancellationToken);
            }

            if (rule.Error?.Invoke(call) is { } error)
            {
                throw error;
            }

            var result = rule.Answer?.Invoke(call);
            call.Complete(result, null, nextOrder(), time.GetUtcNow());
            return (T?)result;
        }
        catch (Exception ex) when (!call.IsComplete)
        {
            call.Complete(null, ex, nextOrder(), time.GetUtcNow());
            throw;
        }
    }
}

/// <summary>How the scripted API answers matching calls.</summary>
internal sealed class KubeRule(Func<KubeApiCall, bool> predicate, string description)
{
    private int _remaining = int.MaxValue;

    public string Description { get; } = description;

    public TimeSpan Latency { get; private set; }

    public Func<KubeApiCall, object?>? Answer { get; private set; }

    public Func<KubeApiCall, Exception?>? Error { get; private set; }

    public KubeRule WithLatency(TimeSpan latency)
    {
        Latency = latency;
        return this;
    }

    public KubeRule Returns(Func<KubeApiCall, object?> answer)
    {
        Answer = answer;
        return this;
    }

    public KubeRule Throws(Func<KubeApiCall, Exception?> error)
    {
        Error = error;
        return this;
    }

    public KubeRule Times(int count)
    {
        _remaining = count;
        return this;
    }

    internal bool TryClaim(KubeApiCall call)
    {
        if (_remaining <= 0 || !predicate(call))
        {
            return false;
        }

        _remaining--;
        return true;
    }
}

/// <summary>One call of the seam: what was asked (no response bodies are kept as text), when it started and ended.</summary>
internal sealed class KubeApiCall(KubeTarget target, string operation, string? @namespace, string? name, string? manifest, TimeSpan? timeout, long startOrder, DateTimeOffset startedAt)
{
    public KubeTarget Target { get; } = target;

    /// <summary>The cluster of a kind context ("kind-primary" is "primary").</summary>
    public string Cluster => Target.Context.StartsWith("kind-", StringComparison.Ordinal) ? Target.Context["kind-".Length..] : Target.Context;

    public string Operation { get; } = operation;

    public string? Namespace { get; } = @namespace;

    /// <summary>The object's name, a label selector or a manifest path, by operation.</summary>
    public string? Name { get; } = name;

    /// <summary>The manifest text of an apply (the request body).</summary>
    public string? Manifest { get; } = manifest;

    public TimeSpan? Timeout { get; } = timeout;

    public long StartOrder { get; } = startOrder;

    public DateTimeOffset StartedAt { get; } = startedAt;

    public long? EndOrder { get; private set; }

    public DateTimeOffset? EndedAt { get; private set; }

    public object? Result { get; private set; }

    public Exception? Error { get; private set; }

    public bool IsComplete => EndOrder is not null;

    public bool Overlaps(KubeApiCall other) => Overlaps(other.StartOrder, other.EndOrder);

    public bool Overlaps(ProcessInvocation other) => Overlaps(other.StartOrder, other.EndOrder);

    internal void Complete(object? result, Exception? error, long endOrder, DateTimeOffset endedAt)
    {
        Result = result;
        Error = error;
        EndedAt = endedAt;
        EndOrder = endOrder;
    }

    private bool Overlaps(long start, long? end) => StartOrder < (end ?? long.MaxValue) && start < (EndOrder ?? long.MaxValue);

    public override string ToString() => $"{Operation} {Namespace}/{Name} in {Target}";
}
