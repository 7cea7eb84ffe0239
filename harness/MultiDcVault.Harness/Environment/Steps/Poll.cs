namespace MultiDcVault.Harness.Environment.Steps;

/// <summary>Polling on a TimeProvider until a value appears or a deadline passes.</summary>
internal static class Poll
{
    /// <summary>
    /// Calls <paramref name="attempt"/> until it returns a value; after <paramref name="timeout"/> throws a
    /// <see cref="TimeoutException"/> with <paramref name="describeFailure"/> (which should say what was last seen).
    /// </summary>
    public static async Task<T> UntilAsync<T>(
        Func<CancellationToken, Task<T?>> attempt,
        TimeSpan timeout,
        TimeSpan interval,
        TimeProvider timeProvider,
        Func<string> describeFailure,
        CancellationToken cancellationToken)
        where T : class
    {
        var started = timeProvider.GetTimestamp();
        while (true)
        {
            if (await attempt(cancellationToken) is { } value)
            {
                return value;
            }

            if (timeProvider.GetElapsedTime(started) >= timeout)
            {
                throw new TimeoutException(describeFailure());
            }

            await Task.Delay(interval, timeProvider, cancellationToken);
        }
    }
}
