using MultiDcVault.Harness.Drills;
using MultiDcVault.Harness.Faults;
using MultiDcVault.Harness.Health;
using MultiDcVault.Harness.Timeline;
using MultiDcVault.Harness.Verification;

namespace MultiDcVault.Harness.Scenarios;

/// <summary>
/// The bookkeeping every scenario shares: a healthy start, the timeline recorder, the workload, fault windows,
/// problems and measurements, and the end (stop the load, read every acknowledged write back through every
/// datacenter, the history, split-brain and stale-read checks). A scenario adds only its own steps and assertions.
/// </summary>
internal sealed class ScenarioSession : IAsyncDisposable
{
    private readonly ScenarioContext _context;
    private readonly List<FaultReport> _faults = [];
    private readonly List<AutopilotSnapshot> _snapshots = [];
    private readonly List<IsolationWindow> _isolated = [];
    private TimelineRecorder? _recorder;
    private ScenarioWorkload? _workload;

    private ScenarioSession(ScenarioContext context, string scenario, string variant, DateTimeOffset startedAt)
    {
        _context = context;
        Scenario = scenario;
        Variant = variant;
        StartedAt = startedAt;
    }

    public string Scenario { get; }

    public string Variant { get; }

    public DateTimeOffset StartedAt { get; }

    /// <summary>The leader when the session started.</summary>
    public string Leader { get; private set; } = string.Empty;

    public List<string> Problems { get; } = [];

    public List<string> Measurements { get; } = [];

    public ScenarioWorkload Workload => _workload ?? throw new InvalidOperationException("The session has not started its workload.");

    /// <summary>Waits for a healthy cluster and its leader (throws when there is none: a scenario never faults a sick cluster), then starts recording.</summary>
    public static async Task<ScenarioSession> StartAsync(
        ScenarioContext context, string scenario, string variant, bool workload, bool reader, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var session = new ScenarioSession(context, scenario, variant, context.Time.GetUtcNow());
        var healthy = await context.Raft.WaitForHealthyAsync(context.Timing.HealthyTimeout, cancellationToken);
        session._snapshots.Add(healthy.ToAutopilotSnapshot("before"));
        session.Leader = (await context.Raft.WaitForLeaderAsync(context.Timing.HealthyTimeout, cancellationToken)).Datacenter;
        progress?.Report($"Cluster healthy ({healthy.Health}); leader is {session.Leader}.");
        session._recorder = await TimelineRecorder.StartAsync(context.Probe, context.Time, cancellationToken, context.Timing.SampleInterval);
        if (workload)
        {
            session._workload = ScenarioWorkload.Start(
                context.Store, context.Raft, context.Datacenters, session.Leader, context.Timing, scenario, reader, context.Time, cancellationToken);
        }

        return session;
    }

    /// <summary>The datacenters the harness froze or cut off so far (the stale-read check leaves their reads out).</summary>
    public IReadOnlyList<IsolationWindow> Isolated => [.. _isolated];

    /// <summary>Records a healed (or still open) fault for the report and the timeline.</summary>
    /// <param name="isolates">A pause or partition: the datacenters' nodes may still believe they lead.</param>
    public void Fault(FaultScope scope, IReadOnlyList<string> datacenters, bool isolates = false)
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (isolates)
        {
            _isolated.AddRange(datacenters.Select(dc => new IsolationWindow(dc, scope.InjectStartedAt, scope.HealedAt)));
        }

        _recorder?.AddFault(new FaultWindow(scope.Fault.Description, datacenters, scope.InjectStartedAt, scope.HealedAt));
        _faults.Add(new FaultReport(scope.Fault.Description, scope.InjectStartedAt, scope.HealedAt, null, null) { Mechanism = scope.Fault.Mechanism });
    }

    /// <summary>Records a window that is not an <see cref="IFault"/> (a power cycle, an upgrade step).</summary>
    public void Window(string label, IReadOnlyList<string> datacenters, DateTimeOffset start, DateTimeOffset? end, string? mechanism = null)
    {
        _recorder?.AddFault(new FaultWindow(label, datacenters, start, end));
        _faults.Add(new FaultReport(label, start, end, null, null) { Mechanism = mechanism });
    }

    public void Snapshot(RaftObservation observation, string label) => _snapshots.Add(observation.ToAutopilotSnapshot(label));

    /// <summary>Waits for a healthy cluster within the recovery bound; a timeout is a problem (with the last reading), not an exception.</summary>
    public async Task<RaftObservation?> WaitForRecoveryAsync(string after, TimeSpan bound, CancellationToken cancellationToken)
    {
        var from = _context.Time.GetUtcNow();
        try
        {
            var healthy = await _context.Raft.WaitForHealthyAsync(bound, cancellationToken);
            _snapshots.Add(healthy.ToAutopilotSnapshot($"after {after}"));
            Measurements.Add($"healthy again {RunReport.Format(_context.Time.GetUtcNow() - from)} after {after} (bound {RunReport.Format(bound)})");
            return healthy;
        }
        catch (TimeoutException ex)
        {
            Problems.Add($"The cluster was not healthy within {RunReport.Format(bound)} after {after}: {ex.Message}");
            return null;
        }
    }

    /// <summary>
    /// Stops the load and the recorder, reads every acknowledged write back through <paramref name="readThrough"/>
    /// (null: every datacenter) and runs the history, split-brain and stale-read checks.
    /// </summary>
    public async Task<ScenarioResult> FinishAsync(IReadOnlyList<string>? readThrough, CancellationToken cancellationToken)
    {
        var workload = _workload is null ? new WorkloadResult([], [], []) : await _workload.StopAsync();
        var timeline = _recorder is null ? null : await _recorder.StopAsync(workload.Writes, cancellationToken);
        var checks = new Dictionary<string, HistoryCheckResult>(StringComparer.Ordinal);
        if (workload.Writes.Count > 0)
        {
            var through = readThrough ?? _context.Datacenters;
            var readBack = new AcknowledgedReadBack(_context.Store, _context.Timing.ReadAttempts, _context.Timing.PollInterval, _context.Time);
            foreach (var (dc, check) in await readBack.CheckAsync(workload.Writes, through, Problems, cancellationToken))
            {
                checks[dc] = check;
            }

            if (workload.Writes.All(w => !w.IsAcknowledged))
            {
                Problems.Add("No write was acknowledged at all: the writers could not reach any Vault node (see the write details in the history).");
            }

            var stale = StaleReadChecker.Check(workload.Writes, workload.Reads, _isolated);
            if (stale.Count > 0)
            {
                Problems.Add($"{stale.Count} stale reads after a newer acknowledged write on the same key; first: {stale[0].Describe()}");
            }

            if (workload.Reads.Count > 0)
            {
                var notJudged = StaleReadChecker.ThroughIsolated(workload.Reads, _isolated).Count;
                Measurements.Add($"reads: {workload.Reads.Count(r => r.Succeeded)} answered of {workload.Reads.Count}; {notJudged} sent to a paused or partitioned DC not judged for staleness (such a node may still think it leads)");
            }
        }

        if (timeline is not null)
        {
            Measurements.Add($"time without a leader: {RunReport.Format(timeline.TimeWithoutLeader)} in {timeline.WithoutLeader().Count} stretches (sampled every {RunReport.Format(_context.Timing.SampleInterval)})");
        }

        return new ScenarioResult(
            Scenario, Variant, StartedAt, _context.Time.GetUtcNow(), [.. Problems], [.. Measurements], [.. _faults], workload, checks, [.. _snapshots], timeline);
    }

    public async ValueTask DisposeAsync()
    {
        if (_workload is not null)
        {
            await _workload.DisposeAsync();
        }

        if (_recorder is not null)
        {
            await _recorder.DisposeAsync();
        }
    }
}
