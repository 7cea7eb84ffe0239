using MultiDcVault.Harness.Infrastructure.Secrets;

namespace MultiDcVault.Harness.Environment.Steps;

/// <summary>One finished (or failed) phase of a run, on the run's clock.</summary>
internal sealed record PhaseRecord(string Phase, string? Cluster, DateTimeOffset Start, DateTimeOffset End, PhaseState Outcome)
{
    public TimeSpan Duration => End - Start;

    public string Label => Cluster is null ? Phase : $"{Phase} [{Cluster}]";
}

/// <summary>
/// Times phases and reports them as <see cref="PhaseEvent"/>s (started, then succeeded or failed).
/// Thread-safe: parallel phases record into one list.
/// </summary>
internal sealed class PhaseTimer
{
    private readonly TimeProvider _time;
    private readonly IProgress<PhaseEvent>? _progress;
    private readonly Lock _gate = new();
    private readonly List<PhaseRecord> _records = [];
    private readonly Dictionary<long, string> _running = [];
    private long _next;

    public PhaseTimer(TimeProvider timeProvider, IProgress<PhaseEvent>? progress)
    {
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _progress = progress;
        StartedAt = _time.GetUtcNow();
    }

    public DateTimeOffset StartedAt { get; }

    public IReadOnlyList<PhaseRecord> Records
    {
        get
        {
            lock (_gate)
            {
                return [.. _records];
            }
        }
    }

    /// <summary>Phases started and not finished, e.g. "kind create [secondary]": what a timeout interrupted.</summary>
    public IReadOnlyList<string> Running
    {
        get
        {
            lock (_gate)
            {
                return [.. _running.OrderBy(r => r.Key).Select(r => r.Value)];
            }
        }
    }

    public async Task<T> RunAsync<T>(string phase, string? cluster, Func<Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var start = _time.GetUtcNow();
        long id;
        lock (_gate)
        {
            id = ++_next;
            _running[id] = cluster is null ? phase : $"{phase} [{cluster}]";
        }

        _progress?.Report(new PhaseEvent(phase, cluster, PhaseState.Started, start));
        try
        {
            var result = await work();
            Finish(id, phase, cluster, start, PhaseState.Succeeded, null);
            return result;
        }
        catch (Exception ex)
        {
            Finish(id, phase, cluster, start, PhaseState.Failed, ex is OperationCanceledException ? "cancelled" : Redactor.Default.Redact(ex.Message));
            throw;
        }
    }

    public Task RunAsync(string phase, string? cluster, Func<Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return RunAsync<bool>(phase, cluster, async () =>
        {
            await work();
            return true;
        });
    }

    /// <summary>Reports a phase that was not needed (e.g. image load when no local image is used).</summary>
    public void Skip(string phase, string? cluster, string reason) =>
        _progress?.Report(new PhaseEvent(phase, cluster, PhaseState.Skipped, _time.GetUtcNow(), Message: reason));

    /// <summary>
    /// Reports how far a running phase got (e.g. "3/7 layers" of a pull): another Started event
    /// carrying the message, so a live view updates the phase's row and a plain log gets a line.
    /// </summary>
    public void Progress(string phase, string? cluster, string message) =>
        _progress?.Report(new PhaseEvent(phase, cluster, PhaseState.Started, _time.GetUtcNow(), Message: message));

    /// <summary>Reports something that is not a phase (e.g. where the diagnostics bundle went).</summary>
    public void Note(string phase, PhaseState state, string message) =>
        _progress?.Report(new PhaseEvent(phase, null, state, _time.GetUtcNow(), Message: message));

    public TimingReport Report(string outcome) => TimingReport.From(Records, StartedAt, _time.GetUtcNow(), outcome);

    private void Finish(long id, string phase, string? cluster, DateTimeOffset start, PhaseState state, string? message)
    {
        var end = _time.GetUtcNow();
        lock (_gate)
        {
            _running.Remove(id);
            _records.Add(new PhaseRecord(phase, cluster, start, end, state));
        }

        _progress?.Report(new PhaseEvent(phase, cluster, state, end, end - start, message));
    }
}
