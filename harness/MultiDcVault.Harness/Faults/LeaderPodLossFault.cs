using MultiDcVault.Harness.Infrastructure.Secrets;
using MultiDcVault.Harness.Infrastructure.Polling;

namespace MultiDcVault.Harness.Faults;

/// <summary>When the pod-loss fault deleted the pod and when its replacement was seen, then Ready.</summary>
/// <param name="DeletedAt">When the delete was sent: the start of the loss.</param>
/// <param name="ReplacementCreatedAt">First poll that saw a pod with a new UID (the StatefulSet controller recreated it).</param>
/// <param name="ReplacementReadyAt">First poll that saw the replacement Ready (its readiness probe passed).</param>
public sealed record PodLossTimeline(string Pod, DateTimeOffset DeletedAt, DateTimeOffset? ReplacementCreatedAt, DateTimeOffset? ReplacementReadyAt)
{
    /// <summary>From the delete to the replacement being Ready; null while it is not (yet).</summary>
    public TimeSpan? GoneFor => ReplacementReadyAt - DeletedAt;
}

/// <summary>
/// The leader's Vault pod is deleted (a normal, graceful delete: SIGTERM, like any pod eviction). The Vault
/// StatefulSet's controller recreates a deleted pod at once, so the loss has a defined start (the delete) and a
/// measured end (<see cref="Timeline"/>: the replacement Ready). Scaling the StatefulSet to 0 is not used: the
/// vault-operator watches only Vault CRs and puts the replica count back at its next resync (chart default 1 m),
/// so such a loss would last anywhere from 0 to 60 s.
/// Heal waits for the replacement to be Ready; it never deletes or scales anything.
/// </summary>
internal sealed class LeaderPodLossFault : IFault
{
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromSeconds(1);

    /// <summary>Budget for the replacement to be Ready: image present, auto-unseal through the central Vault, Raft join.</summary>
    public static readonly TimeSpan DefaultRecreateTimeout = TimeSpan.FromMinutes(5);

    private readonly IVaultPods _pods;
    private readonly string _namespace;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _pollInterval;
    private readonly TimeSpan _recreateTimeout;
    private readonly Lock _gate = new();
    private Task? _watch;
    private PodLossTimeline? _timeline;
    private volatile Exception? _lastReadError;

    public LeaderPodLossFault(
        IVaultPods pods,
        FaultTopology topology,
        string leaderDatacenter,
        string @namespace,
        TimeProvider? timeProvider = null,
        TimeSpan? pollInterval = null,
        TimeSpan? recreateTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(pods);
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentException.ThrowIfNullOrWhiteSpace(@namespace);
        _pods = pods;
        _namespace = @namespace;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _pollInterval = pollInterval ?? DefaultPollInterval;
        _recreateTimeout = recreateTimeout ?? DefaultRecreateTimeout;
        Datacenter = topology.Datacenter(leaderDatacenter);
    }

    public FaultDatacenter Datacenter { get; }

    public string Description => $"leader-pod-loss({Datacenter.Name})";

    public string Mechanism => $"delete pod {Datacenter.VaultPod} through the Kubernetes API (graceful; the StatefulSet controller recreates it)";

    /// <summary>Null before inject; then updated as the replacement appears and becomes Ready.</summary>
    public PodLossTimeline? Timeline
    {
        get
        {
            lock (_gate)
            {
                return _timeline;
            }
        }
    }

    public async Task InjectAsync(CancellationToken cancellationToken)
    {
        var pod = Datacenter.VaultPod;
        var before = await _pods.GetAsync(Datacenter.Name, _namespace, pod, cancellationToken)
            ?? throw new InvalidOperationException(
                $"Pod {pod} does not exist in cluster '{Datacenter.Name}' (namespace {_namespace}), so there is no leader pod to delete. Check 'multidc status'.");
        var deletedAt = _timeProvider.GetUtcNow();
        await _pods.DeleteAsync(Datacenter.Name, _namespace, pod, cancellationToken);
        lock (_gate)
        {
            _timeline = new PodLossTimeline(pod, deletedAt, null, null);
            // Ends by itself: replacement Ready or the recreate timeout, so it never outlives the fault by much.
            _watch = Task.Run(() => WatchAsync(before.Uid, deletedAt), CancellationToken.None);
        }
    }

    /// <summary>Waits until the replacement pod is Ready. A no-op when nothing was deleted; safe to repeat.</summary>
    public async Task HealAsync(CancellationToken cancellationToken)
    {
        Task? watch;
        lock (_gate)
        {
            watch = _watch;
        }

        if (watch is null)
        {
            return;
        }

        await watch.WaitAsync(cancellationToken);
        if (Timeline?.ReplacementReadyAt is null)
        {
            var created = Timeline?.ReplacementCreatedAt is null ? "was not recreated" : "was recreated but never Ready";
            var lastError = _lastReadError is { } error ? $" The last read failed: {Redactor.Default.Redact(error.Message)}" : "";
            throw new TimeoutException(
                $"Pod {Datacenter.VaultPod} in cluster '{Datacenter.Name}' {created} within {_recreateTimeout.TotalSeconds:0} s after the delete.{lastError} " +
                $"Check 'kubectl get statefulset {Datacenter.VaultStatefulSet} -n {_namespace}' and the pod's events and logs.");
        }
    }

    private async Task WatchAsync(string oldUid, DateTimeOffset deletedAt)
    {
        var deadline = deletedAt + _recreateTimeout;
        await Poll.RunAsync(
            async _ =>
            {
                var now = _timeProvider.GetUtcNow();
                if (now >= deadline)
                {
                    return true;
                }

                try
                {
                    var pod = await _pods.GetAsync(Datacenter.Name, _namespace, Datacenter.VaultPod, CancellationToken.None);
                    if (pod is not null && !string.Equals(pod.Uid, oldUid, StringComparison.Ordinal))
                    {
                        lock (_gate)
                        {
                            _timeline = _timeline! with { ReplacementCreatedAt = _timeline.ReplacementCreatedAt ?? now };
                            if (pod.Ready)
                            {
                                _timeline = _timeline with { ReplacementReadyAt = now };
                                return true;
                            }
                        }
                    }
                }
                catch (Exception ex)
                {
                    // The API server hiccuped: the deadline, not one failed read, decides; a lasting
                    // failure (401, TLS) is named in the timeout message instead of hiding behind it.
                    _lastReadError = ex;
                }

                return false;
            },
            stop => stop,
            PollSchedule.For(_recreateTimeout, _pollInterval),
            _timeProvider,
            CancellationToken.None);
    }
}
