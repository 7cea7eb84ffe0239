namespace MultiDcVault.Harness.Tests.TestSupport;

// The test project's TimeProviders. Three, because tests rely on three different meanings of "time":
//   FakeTimeProvider    - time moves only when the test says so (Advance); timers fire on the test's thread.
//   VirtualTimeProvider - time jumps to the next timer whenever the code is quiet, so long scripted waits run fast.
//   FrozenWallClock     - only the wall clock is pinned; timers and timestamps are real, for tests whose
//                         timeouts must fire in real time while the code waits on real-time work.

/// <summary>
/// A TimeProvider whose clock moves only when a test calls <see cref="Advance"/>; due timers fire synchronously
/// on the caller of Advance. It also records the due time of every timer it is asked for (Task.Delay and
/// timed CancellationTokenSources create one), so a test can see which waits the code started.
/// </summary>
internal sealed class FakeTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly List<FakeTimer> _timers = [];
    private readonly List<TimeSpan> _requested = [];
    private readonly Lock _gate = new();
    private DateTimeOffset _now = start;

    public FakeTimeProvider()
        : this(new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero))
    {
    }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <summary>Every finite due time asked for (timers created or re-armed), in order.</summary>
    public IReadOnlyList<TimeSpan> RequestedDelays
    {
        get
        {
            lock (_gate)
            {
                return [.. _requested];
            }
        }
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    /// <summary>Moves the clock and fires, once each, the timers now due; periodic ones are re-armed from the new time.</summary>
    public void Advance(TimeSpan by)
    {
        List<FakeTimer> due;
        lock (_gate)
        {
            _now += by;
            due = [.. _timers.Where(t => t.DueAt is { } at && at <= _now)];
            foreach (var timer in due)
            {
                timer.DueAt = timer.Period is { } period ? _now + period : null;
            }
        }

        foreach (var timer in due)
        {
            timer.Fire();
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new FakeTimer(this, callback, state);
        timer.Change(dueTime, period);
        lock (_gate)
        {
            _timers.Add(timer);
        }

        return timer;
    }

    private void Remove(FakeTimer timer)
    {
        lock (_gate)
        {
            _timers.Remove(timer);
        }
    }

    private sealed class FakeTimer(FakeTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset? DueAt { get; set; }

        public TimeSpan? Period { get; private set; }

        public void Fire() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._gate)
            {
                DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : owner._now + dueTime;
                Period = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero ? null : period;
                if (dueTime != Timeout.InfiniteTimeSpan)
                {
                    owner._requested.Add(dueTime);
                }
            }

            return true;
        }

        public void Dispose() => owner.Remove(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>
/// A TimeProvider whose clock jumps to the next due timer whenever the code under test has been quiet
/// (no timer created, changed or fired) for a short real-time window. Whole ups with minutes of scripted
/// latency then run in well under a second, and the recorded times are the scripted ones.
/// </summary>
internal sealed class VirtualTimeProvider : TimeProvider, IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly List<VirtualTimer> _timers = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;
    private DateTimeOffset _now = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private long _activity;

    public VirtualTimeProvider(TimeSpan? quietPeriod = null)
    {
        var quiet = quietPeriod ?? TimeSpan.FromMilliseconds(15);
        _pump = Task.Run(() => PumpAsync(quiet));
    }

    private static readonly TimeSpan FarTimer = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan FarQuiet = TimeSpan.FromSeconds(1);

    /// <summary>How many quiet periods in a row a non-empty thread-pool queue may hold virtual time back.</summary>
    private const int MaxBusyWindows = 20;

    public DateTimeOffset Start { get; } = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public TimeSpan Elapsed => GetUtcNow() - Start;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new VirtualTimer(this, callback, state);
        lock (_gate)
        {
            _timers.Add(timer);
        }

        timer.Change(dueTime, period);
        return timer;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _pump;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task PumpAsync(TimeSpan quiet)
    {
        long seen = -1;
        var quietWindows = 0;
        var busyWindows = 0;
        while (!_stop.IsCancellationRequested)
        {
            await Task.Delay(quiet, _stop.Token);

            // Work queued but not yet run means the code under test is busy, just slow (a loaded machine):
            // advancing now would fire its timeouts before it had a chance to finish. The queue is the whole
            // process's (other tests run in parallel), so the wait is capped: time still moves under steady load.
            if (ThreadPool.PendingWorkItemCount > 0 && busyWindows++ < MaxBusyWindows)
            {
                continue;
            }

            busyWindows = 0;

            List<VirtualTimer> due;
            lock (_gate)
            {
                if (_activity != seen)
                {
                    seen = _activity;
                    quietWindows = 0;
                    continue;
                }

                quietWindows++;
                var next = _timers.Where(t => t.DueAt is not null).MinBy(t => t.DueAt);
                if (next is null)
                {
                    continue;
                }

                // A far timer (an overall timeout) is only reached after a long real silence: the code may
                // still be busy without timers (JIT, file I/O on a loaded machine), and jumping would time it out.
                if (next.DueAt!.Value - _now > FarTimer && quietWindows * quiet < FarQuiet)
                {
                    continue;
                }

                if (next.DueAt > _now)
                {
                    _now = next.DueAt!.Value;
                }

                due = [.. _timers.Where(t => t.DueAt is { } at && at <= _now)];
                foreach (var timer in due)
                {
                    timer.DueAt = timer.Period is { } period ? _now + period : null;
                }

                _activity++;
            }

            foreach (var timer in due)
            {
                timer.Fire();
            }
        }
    }

    private sealed class VirtualTimer(VirtualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset? DueAt { get; set; }

        public TimeSpan? Period { get; private set; }

        public void Fire() => ThreadPool.UnsafeQueueUserWorkItem(_ => callback(state), null);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._gate)
            {
                DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : owner._now + dueTime;
                Period = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero ? null : period;
                owner._activity++;
            }

            return true;
        }

        public void Dispose()
        {
            lock (owner._gate)
            {
                owner._timers.Remove(this);
                owner._activity++;
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>A wall clock pinned at <paramref name="now"/>; timers and timestamps stay real (the base TimeProvider's).</summary>
internal sealed class FrozenWallClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
