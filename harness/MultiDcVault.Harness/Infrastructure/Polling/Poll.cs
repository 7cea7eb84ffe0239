using Polly;
using Polly.Retry;

namespace MultiDcVault.Harness.Infrastructure.Polling;

/// <summary>
/// The harness's one poll/retry mechanism: a Polly retry pipeline on the caller's TimeProvider (so virtual-clock
/// tests run it instantly) that repeats an attempt until its result is accepted, a chosen exception stops
/// recurring, or the <see cref="PollSchedule"/> runs out. Every wait for "condition or timeout" goes through here.
/// </summary>
internal static class Poll
{
    /// <summary>
    /// Attempts until <paramref name="done"/> accepts a result or the schedule runs out, and returns the last result
    /// either way (<see cref="PollOutcome{T}.Done"/> says which). An exception matching <paramref name="retryOn"/> is
    /// retried on the same schedule; once the schedule is out it propagates, as does any other exception.
    /// </summary>
    /// <remarks>Polly disposes an IDisposable result before retrying, so results not accepted must not be kept.</remarks>
    public static async Task<PollOutcome<T>> RunAsync<T>(
        Func<CancellationToken, Task<T>> attempt,
        Func<T, bool> done,
        PollSchedule schedule,
        TimeProvider timeProvider,
        CancellationToken cancellationToken,
        Func<Exception, bool>? retryOn = null,
        Func<PollRetry, CancellationToken, ValueTask>? beforeRetry = null)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        ArgumentNullException.ThrowIfNull(done);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var started = timeProvider.GetTimestamp();
        bool TimeLeft() => schedule.Timeout == TimeSpan.MaxValue || timeProvider.GetElapsedTime(started) < schedule.Timeout;

        var builder = new ResiliencePipelineBuilder<T> { TimeProvider = timeProvider };

        // Polly refuses a retry of zero retries: a single attempt is the bare pipeline.
        if (schedule.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions<T>
                {
                    // Polly counts retries after the first attempt; int.MaxValue means "no limit" to it.
                    MaxRetryAttempts = schedule.MaxAttempts == int.MaxValue ? int.MaxValue : schedule.MaxAttempts - 1,
                    Delay = schedule.Interval,
                    BackoffType = DelayBackoffType.Constant,
                    UseJitter = false,
                    ShouldHandle = args => ValueTask.FromResult(TimeLeft() && args.Outcome switch
                    {
                        // Only the caller's token ends a poll: a request's own timeout (also an OperationCanceledException) may be retried.
                        { Exception: { } ex } => !cancellationToken.IsCancellationRequested && retryOn?.Invoke(ex) == true,
                        { Result: var result } => !done(result!),
                    }),
                    OnRetry = beforeRetry is null
                        ? null
                        : args => beforeRetry(new PollRetry(args.AttemptNumber + 1, args.Outcome.Exception), args.Context.CancellationToken),
                });
        }

        var pipeline = builder.Build();

        var last = await pipeline.ExecuteAsync(async ct => await attempt(ct), cancellationToken);

        // A cancelled caller gets its cancellation, not a "not done" that reads like a timeout.
        cancellationToken.ThrowIfCancellationRequested();
        return new PollOutcome<T>(last, done(last));
    }

    /// <summary>Attempts until <paramref name="done"/> accepts a result; after the schedule throws a TimeoutException saying what was last seen.</summary>
    public static async Task<T> UntilAsync<T>(
        Func<CancellationToken, Task<T>> attempt,
        Func<T, bool> done,
        PollSchedule schedule,
        TimeProvider timeProvider,
        Func<T, string> timeoutMessage,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timeoutMessage);
        var outcome = await RunAsync(attempt, done, schedule, timeProvider, cancellationToken);
        return outcome.Done ? outcome.Last : throw new TimeoutException(timeoutMessage(outcome.Last));
    }

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
        ArgumentNullException.ThrowIfNull(describeFailure);
        var value = await UntilAsync(attempt, v => v is not null, PollSchedule.For(timeout, interval), timeProvider, _ => describeFailure(), cancellationToken);
        return value!;
    }

    /// <summary>
    /// Runs <paramref name="action"/>, retrying exceptions matching <paramref name="retryOn"/> on the schedule; the last one
    /// propagates. <paramref name="beforeRetry"/> runs after a failed attempt, before the pause (an exception from it ends the retries).
    /// </summary>
    public static async Task<T> RetryAsync<T>(
        Func<CancellationToken, Task<T>> action,
        Func<Exception, bool> retryOn,
        PollSchedule schedule,
        TimeProvider timeProvider,
        CancellationToken cancellationToken,
        Func<PollRetry, CancellationToken, ValueTask>? beforeRetry = null)
    {
        ArgumentNullException.ThrowIfNull(retryOn);
        var outcome = await RunAsync(action, _ => true, schedule, timeProvider, cancellationToken, retryOn, beforeRetry);
        return outcome.Last;
    }

    /// <inheritdoc cref="RetryAsync{T}"/>
    public static Task RetryAsync(
        Func<CancellationToken, Task> action,
        Func<Exception, bool> retryOn,
        PollSchedule schedule,
        TimeProvider timeProvider,
        CancellationToken cancellationToken,
        Func<PollRetry, CancellationToken, ValueTask>? beforeRetry = null)
    {
        ArgumentNullException.ThrowIfNull(action);
        return RetryAsync<bool>(async ct => { await action(ct); return true; }, retryOn, schedule, timeProvider, cancellationToken, beforeRetry);
    }
}

/// <summary>The last result of a poll, and whether it was accepted (false: the schedule ran out first).</summary>
internal readonly record struct PollOutcome<T>(T Last, bool Done);

/// <summary>A failed attempt about to be retried: its number (1 for the first) and its exception, if it threw.</summary>
internal readonly record struct PollRetry(int Attempt, Exception? Exception);
