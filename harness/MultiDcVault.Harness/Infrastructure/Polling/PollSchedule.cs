namespace MultiDcVault.Harness.Infrastructure.Polling;

/// <summary>
/// How long a poll or retry may go on: a pause between attempts, and a time budget and/or a number of attempts
/// (whichever runs out first). Both are measured on the caller's TimeProvider.
/// </summary>
internal readonly record struct PollSchedule
{
    private PollSchedule(TimeSpan interval, TimeSpan timeout, int maxAttempts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        Interval = interval;
        Timeout = timeout;
        MaxAttempts = maxAttempts;
    }

    public TimeSpan Interval { get; }

    public TimeSpan Timeout { get; }

    public int MaxAttempts { get; }

    /// <summary>Attempts every <paramref name="interval"/> until <paramref name="timeout"/> has passed since the first.</summary>
    public static PollSchedule For(TimeSpan timeout, TimeSpan interval) => new(interval, timeout, int.MaxValue);

    /// <summary>At most <paramref name="attempts"/> attempts, <paramref name="delay"/> apart, however long they take.</summary>
    public static PollSchedule Attempts(int attempts, TimeSpan delay) => new(delay, TimeSpan.MaxValue, attempts);
}
