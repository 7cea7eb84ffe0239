using System.Globalization;
using MultiDcVault.Harness.Health;
using MultiDcVault.Harness.Infrastructure.Polling;

namespace MultiDcVault.Harness.Drills;

/// <summary>
/// What a <see cref="LeaderChangeMonitor"/> saw over one test.
/// <para>
/// A leader is a confirmed active node and its active_time (when it became active, from its own sys/leader).
/// A new (datacenter, active_time) pair means leadership moved at least once since the previous sample; even a
/// node that lost and regained leadership between two samples shows a new active_time. Several moves between two
/// samples count as one, so <see cref="Changes"/> is a lower bound, exact when moves are further apart than the
/// sample interval.
/// </para>
/// </summary>
/// <param name="Changes">Leadership moves seen: distinct consecutive leaders minus one.</param>
/// <param name="Samples">sys/leader rounds taken (every datacenter asked each time).</param>
/// <param name="SamplesWithoutLeader">Rounds in which no node confirmed it was active (an election under way, or the active node unreachable).</param>
/// <param name="Leaders">Each leader in order, e.g. "primary (active since 2026-12-02T05:40:01Z)".</param>
public sealed record LeaderChangeCount(int Changes, int Samples, int SamplesWithoutLeader, IReadOnlyList<string> Leaders);

/// <summary>Pure bookkeeping of leader samples (see <see cref="LeaderChangeCount"/>).</summary>
internal sealed class LeaderTimeline
{
    private readonly List<(string Datacenter, DateTimeOffset ActiveTime)> _leaders = [];
    private int _samples;
    private int _withoutLeader;

    public void Add(LocatedLeader? leader)
    {
        _samples++;
        if (leader is not { Confirmed: true, ActiveTime: { } activeTime })
        {
            _withoutLeader++;
            return;
        }

        var key = (leader.Datacenter, activeTime);
        if (_leaders.Count == 0 || _leaders[^1] != key)
        {
            _leaders.Add(key);
        }
    }

    public LeaderChangeCount Count() => new(
        Math.Max(0, _leaders.Count - 1),
        _samples,
        _withoutLeader,
        [.. _leaders.Select(l => string.Create(CultureInfo.InvariantCulture, $"{l.Datacenter} (active since {l.ActiveTime:O})"))]);
}

/// <summary>
/// Samples the leader in the background while a test runs, through the same <see cref="RaftObserver"/> the drills
/// use, so a report can say how often leadership moved during each test. Sampling never fails the test: a round
/// that cannot reach a node is just a round without a confirmed leader.
/// </summary>
internal sealed class LeaderChangeMonitor : IAsyncDisposable
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(2);

    private readonly RaftObserver _observer;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _interval;
    private readonly LeaderTimeline _timeline = new();
    private readonly Lock _gate = new();
    private PeriodicSampler? _sampler;
    private LeaderChangeCount? _result;

    private LeaderChangeMonitor(RaftObserver observer, TimeProvider timeProvider, TimeSpan interval)
    {
        _observer = observer;
        _timeProvider = timeProvider;
        _interval = interval;
    }

    /// <summary>Takes the first sample now (the leader at the start), then one every <paramref name="interval"/>.</summary>
    public static async Task<LeaderChangeMonitor> StartAsync(
        RaftObserver observer, CancellationToken cancellationToken, TimeProvider? timeProvider = null, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(observer);
        var monitor = new LeaderChangeMonitor(observer, timeProvider ?? TimeProvider.System, interval ?? DefaultInterval);
        monitor._sampler = await PeriodicSampler.StartAsync(monitor.SampleAsync, monitor._interval, monitor._timeProvider, cancellationToken);
        return monitor;
    }

    /// <summary>Stops sampling, takes a last sample (the leader at the end) and returns the count; repeatable.</summary>
    public async Task<LeaderChangeCount> StopAsync(CancellationToken cancellationToken)
    {
        if (_result is not null)
        {
            return _result;
        }

        if (_sampler is not null)
        {
            await _sampler.StopAsync();
        }

        await SampleAsync(cancellationToken);
        lock (_gate)
        {
            _result = _timeline.Count();
        }

        return _result;
    }

    public async ValueTask DisposeAsync()
    {
        if (_sampler is not null)
        {
            await _sampler.DisposeAsync();
        }
    }

    private async Task SampleAsync(CancellationToken cancellationToken)
    {
        LocatedLeader? leader;
        try
        {
            leader = await _observer.FindLeaderAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            leader = null;
        }

        lock (_gate)
        {
            _timeline.Add(leader);
        }
    }
}
