using MultiDcVault.Harness.Infrastructure.Secrets;
using System.Globalization;
using MultiDcVault.Harness.Environment;
using MultiDcVault.Harness.Faults;
using MultiDcVault.Harness.Health;
using MultiDcVault.Harness.Infrastructure.Polling;
using MultiDcVault.Harness.Timeline;
using MultiDcVault.Harness.Verification;

namespace MultiDcVault.Harness.Drills;

/// <summary>
/// A leader failover drill, the Jepsen way: find the leader, start sequential writers, take the leader away
/// (<see cref="FailoverMode"/>), wait for a new leader and measure the recovery time, keep writing, heal, wait
/// until the old node is back and the cluster healthy, stop writing, then read every acknowledged write back
/// through every datacenter. Timeouts and 5xx answers are indeterminate, never failures.
/// The drill reports what happened (<see cref="FailoverDrillResult"/>) rather than throwing for a failed
/// expectation; it throws only when it cannot start (cluster unhealthy, no leader) or is cancelled.
/// </summary>
public sealed class FailoverDrill : IDisposable
{
    /// <summary>Per-request timeout of the real probe: short, since a paused node only ever times out.</summary>
    public static readonly TimeSpan DefaultProbeTimeout = TimeSpan.FromSeconds(4);

    private readonly IVaultNodeProbe _probe;
    private readonly IKvCounterStore _store;
    private readonly Func<FailoverMode, string, IFault> _faultFactory;
    private readonly FailoverDrillOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly IDisposable? _owned;
    private readonly RaftObserver _raft;

    /// <param name="faultFactory">Builds the fault for a mode and the leader's datacenter (see <see cref="DrillFaults.Create"/>).</param>
    public FailoverDrill(
        IVaultNodeProbe probe,
        IKvCounterStore store,
        Func<FailoverMode, string, IFault> faultFactory,
        FailoverDrillOptions options,
        TimeProvider? timeProvider = null)
        : this(probe, store, faultFactory, options, timeProvider, owned: null)
    {
    }

    private FailoverDrill(
        IVaultNodeProbe probe,
        IKvCounterStore store,
        Func<FailoverMode, string, IFault> faultFactory,
        FailoverDrillOptions options,
        TimeProvider? timeProvider,
        IDisposable? owned)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(faultFactory);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _probe = probe;
        _store = store;
        _faultFactory = faultFactory;
        _options = options;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _owned = owned;
        _raft = new RaftObserver(probe, _timeProvider, options.PollInterval);
    }

    /// <summary>The options this drill runs with (validated when it was built).</summary>
    public FailoverDrillOptions Options => _options;

    /// <summary>A drill against a running environment: reads the root token, talks TLS to every datacenter, injects real faults.</summary>
    public static async Task<FailoverDrill> ForEnvironmentAsync(EnvironmentHandle handle, FailoverDrillOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var probe = await VaultNodeProbe.CreateAsync(handle, DefaultProbeTimeout, cancellationToken);
        return new FailoverDrill(probe, probe, (mode, leader) => DrillFaults.Create(handle, mode, leader), options, handle.TimeProvider, probe);
    }

    /// <param name="progress">One line per step, for test output and the console.</param>
    public async Task<FailoverDrillResult> RunAsync(IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var snapshots = new List<AutopilotSnapshot>();
        var datacenters = _probe.Datacenters.Select(d => d.Name).ToList();
        // Samples every datacenter's role for the whole drill, so the report's picture shows where the leader went.
        await using var recorder = await TimelineRecorder.StartAsync(_probe, _timeProvider, cancellationToken, _options.PollInterval);

        var before = await _raft.WaitForHealthyAsync(_options.HealthyTimeout, cancellationToken);
        snapshots.Add(before.ToAutopilotSnapshot("before fault"));
        var oldLeader = (await _raft.WaitForLeaderAsync(_options.HealthyTimeout, cancellationToken)).Datacenter;
        progress?.Report($"Cluster healthy ({before.Health}); leader is {oldLeader}.");

        var fault = _faultFactory(_options.Mode, oldLeader);
        var router = new DrillWriteRouter(_store, _raft, datacenters, oldLeader);
        var history = new WriteHistory();
        var prefix = _options.KeyPrefix ?? string.Create(
            CultureInfo.InvariantCulture, $"drills/{DrillFaults.Name(_options.Mode)}-{_timeProvider.GetUtcNow():yyyyMMdd-HHmmss-fff}");
        var writerOptions = new SequentialWriterOptions
        {
            KeyMode = WriterKeyMode.SingleKey,
            KeyPrefix = prefix,
            WriteTimeout = _options.WriteTimeout,
            DelayBetweenWrites = _options.DelayBetweenWrites,
            // Stopped by cancellation; this bound only guards against a drill that forgets to stop them.
            MaxDuration = _options.HealthyTimeout + _options.NewLeaderTimeout + _options.RecoveryTimeout + _options.HealTimeout + TimeSpan.FromMinutes(5),
        };

        using var stopWriters = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var writers = _options.Writers
            .Select((routing, i) => new SequentialWriter(
                $"w{i + 1}-{routing.ToString().ToLowerInvariant()}", router.CreateWriter(routing, i), history, writerOptions, _timeProvider))
            .Select(w => Task.Run(() => w.RunAsync(stopWriters.Token), CancellationToken.None))
            .ToList();

        string? newLeader = null;
        var recovered = false;
        var rejoined = false;
        DateTimeOffset faultAt;
        DateTimeOffset? healedAt = null;
        FaultScope? scope = null;
        try
        {
            await Task.Delay(_options.WarmUp, _timeProvider, cancellationToken);
            progress?.Report($"Injecting {fault.Description} ({history.Count} writes so far).");
            scope = await FaultScope.InjectAsync(fault, cancellationToken, _timeProvider, _options.HealTimeout);
            faultAt = scope.InjectStartedAt;
            _raft.ExpectUnreachable(oldLeader, DrillFaults.UnreachableReason(_options.Mode));

            newLeader = await WaitForNewLeaderAsync(oldLeader, faultAt, history, problems, progress, cancellationToken);
            if (newLeader is not null)
            {
                await Task.Delay(_options.WritesAfterFailover, _timeProvider, cancellationToken);
            }

            var during = await _raft.ObserveAsync(cancellationToken);
            snapshots.Add(during.ToAutopilotSnapshot("during fault"));
            progress?.Report($"During the fault, sys/leader: {RaftObserver.Describe(during.Observations)}.");

            if (_options.Heal)
            {
                await scope.HealAsync(cancellationToken);
                healedAt = scope.HealedAt;
                _raft.ClearExpectedUnreachable();
                progress?.Report($"Healed {fault.Description}; waiting for {oldLeader} to rejoin.");
                (recovered, rejoined) = await WaitForRecoveryAsync(oldLeader, snapshots, problems, cancellationToken);
                if (recovered)
                {
                    await Task.Delay(_options.WritesAfterRecovery, _timeProvider, cancellationToken);
                }
            }
            else
            {
                progress?.Report($"Leaving {fault.Description} in place (no heal).");
            }
        }
        finally
        {
            await stopWriters.CancelAsync();
            await Task.WhenAll(writers);
            if (scope is not null && _options.Heal)
            {
                // Heals if the body failed before healing (own timeout); a no-op when already healed.
                await scope.DisposeAsync();
            }
        }

        if (scope is not null)
        {
            // From the start of the inject (the fault may bite before it returns) to the end of the heal; open without a heal.
            recorder.AddFault(new FaultWindow(fault.Description, [oldLeader], scope.InjectStartedAt, scope.HealedAt));
        }

        var podGone = (fault as LeaderPodLossFault)?.Timeline;
        if (podGone is not null && _options.Heal)
        {
            progress?.Report(podGone.GoneFor is { } gone
                ? $"Pod {podGone.Pod} was gone for {RunReport.Format(gone)} (delete to replacement Ready)."
                : $"Pod {podGone.Pod} was not Ready again before the drill ended.");
        }

        var summaries = writers.Select(w => w.Result).ToList();
        var records = history.Snapshot();
        var rto = RtoMeasurement.Measure(records, faultAt, oldLeader);
        if (!rto.Recovered && newLeader is not null)
        {
            problems.Add(rto.FailureText!);
        }

        var readThrough = _options.Heal ? datacenters : [.. datacenters.Where(dc => dc != oldLeader)];
        var checks = await new AcknowledgedReadBack(_store, _options.ReadAttempts, _options.PollInterval, _timeProvider)
            .CheckAsync(records, readThrough, problems, cancellationToken);
        if (records.All(r => !r.IsAcknowledged))
        {
            problems.Add("No write was acknowledged at all: the writers could not reach any Vault node (see the write details in the history).");
        }

        progress?.Report($"Read {records.Select(r => r.Key).Distinct().Count()} keys back through {string.Join(", ", readThrough)}.");
        var timeline = await recorder.StopAsync(records, cancellationToken);
        return new FailoverDrillResult(
            _options.Mode, fault.Description, oldLeader, newLeader, faultAt, healedAt, rto, recovered, rejoined,
            summaries, records, checks, snapshots, problems)
        {
            FaultMechanism = fault.Mechanism,
            PodLoss = podGone,
            Timeline = timeline,
        };
    }

    /// <summary>Disposes the probe the drill made for itself in <see cref="ForEnvironmentAsync"/>; a probe passed to the constructor stays the caller's to dispose.</summary>
    public void Dispose() => _owned?.Dispose();

    private async Task<string?> WaitForNewLeaderAsync(
        string oldLeader, DateTimeOffset faultAt, WriteHistory history, List<string> problems, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var deadline = faultAt + _options.NewLeaderTimeout;
        LocatedLeader located;
        try
        {
            located = await _raft.WaitForNewLeaderAsync(oldLeader, Remaining(deadline), cancellationToken);
        }
        catch (TimeoutException ex)
        {
            problems.Add($"No new leader after {DrillFaults.Name(_options.Mode)} of {oldLeader}: {ex.Message}");
            return null;
        }

        progress?.Report($"New leader {located.Datacenter} after {RunReport.Format(_timeProvider.GetUtcNow() - faultAt)}; waiting for its first acknowledged write.");

        // The RTO ends with a write the new leader acknowledged, not with the election.
        await Poll.RunAsync(
            _ => Task.FromResult(RtoMeasurement.Measure(history.Snapshot(), faultAt, oldLeader).Recovered),
            recovered => recovered,
            PollSchedule.For(Remaining(deadline), _options.PollInterval),
            _timeProvider,
            cancellationToken);

        return located.Datacenter;
    }

    private async Task<(bool Recovered, bool Rejoined)> WaitForRecoveryAsync(
        string oldLeader, List<AutopilotSnapshot> snapshots, List<string> problems, CancellationToken cancellationToken)
    {
        try
        {
            // Healthy means every voter healthy and agreeing on one leader, so the old node must have answered too.
            var after = await _raft.WaitUntilAsync(
                r => r.Healthy && r.Observations.Any(o => o.Node == oldLeader && o.Leader is not null),
                _options.RecoveryTimeout,
                $"{oldLeader} to rejoin and the cluster to be healthy",
                cancellationToken);
            snapshots.Add(after.ToAutopilotSnapshot("after recovery"));
            var rejoined = after.Observations.Single(o => o.Node == oldLeader).Leader is { IsSelf: false };
            if (!rejoined)
            {
                problems.Add($"{oldLeader} took leadership back after the heal instead of rejoining as a follower.");
            }

            return (true, rejoined);
        }
        catch (TimeoutException ex)
        {
            problems.Add($"The cluster did not recover after healing: {ex.Message}");
            var last = await _raft.ObserveAsync(cancellationToken);
            snapshots.Add(last.ToAutopilotSnapshot("not recovered"));
            return (false, false);
        }
    }

    private TimeSpan Remaining(DateTimeOffset deadline)
    {
        var left = deadline - _timeProvider.GetUtcNow();
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }
}
