using System.Globalization;
using Microsoft.Extensions.Logging;
using MultiDcVault.Harness.Infrastructure.Secrets;

namespace MultiDcVault.Harness.Diagnostics;

/// <summary>
/// Runs the collection steps of one bundle: each is best-effort, has its own timeout, waits for a
/// slot of the shared parallelism bound, and leaves an outcome for the README instead of throwing.
/// Only the caller's own cancellation ends the bundle early.
/// </summary>
internal sealed partial class CollectionSteps : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private readonly TimeProvider _time;
    private readonly Redactor _redactor;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly List<CollectionOutcome> _outcomes = [];

    public CollectionSteps(int maxParallelism, TimeProvider time, Redactor redactor, ILogger logger)
    {
        _slots = new SemaphoreSlim(maxParallelism, maxParallelism);
        _time = time;
        _redactor = redactor;
        _logger = logger;
    }

    /// <summary>Every outcome so far, in completion order.</summary>
    public IReadOnlyList<CollectionOutcome> Outcomes
    {
        get
        {
            lock (_gate)
            {
                return [.. _outcomes];
            }
        }
    }

    /// <summary>Runs <paramref name="step"/>; false when it failed or timed out (recorded).</summary>
    public async Task<bool> RunAsync(string name, TimeSpan timeout, Func<CancellationToken, Task> step, CancellationToken cancellationToken) =>
        await RunAsync<object>(
            name,
            timeout,
            async ct =>
            {
                await step(ct);
                return new object();
            },
            cancellationToken) is not null;

    /// <summary>Runs <paramref name="step"/> and returns its value; null when it failed or timed out (recorded).</summary>
    public async Task<T?> RunAsync<T>(string name, TimeSpan timeout, Func<CancellationToken, Task<T>> step, CancellationToken cancellationToken)
        where T : class
    {
        await _slots.WaitAsync(cancellationToken);
        var started = _time.GetTimestamp();
        using var deadline = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            var value = await step(linked.Token);
            Record(name, CollectionStatus.Collected, null, started);
            return value;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Record(name, CollectionStatus.Failed, "cancelled by the caller before it finished", started);
            throw;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            Record(name, CollectionStatus.Failed, $"timed out after {Seconds(timeout)} (its process, if any, was killed)", started);
            return null;
        }
        catch (Exception ex)
        {
            Record(name, CollectionStatus.Failed, Describe(ex), started);
            return null;
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>Records a step that was not attempted, and why.</summary>
    public void Skip(string name, string reason)
    {
        lock (_gate)
        {
            _outcomes.Add(new CollectionOutcome(name, CollectionStatus.Skipped, _redactor.Redact(reason), TimeSpan.Zero));
        }
    }

    public void Dispose() => _slots.Dispose();

    private void Record(string name, CollectionStatus status, string? detail, long started)
    {
        var redacted = detail is null ? null : _redactor.Redact(detail);
        if (status == CollectionStatus.Failed)
        {
            LogStepFailed(_logger, name, redacted);
        }

        lock (_gate)
        {
            _outcomes.Add(new CollectionOutcome(name, status, redacted, _time.GetElapsedTime(started)));
        }
    }

    // The exception type says which boundary failed; its message (already redacted by the
    // boundary clients, and again here) says why and usually how to fix it.
    private static string Describe(Exception ex) =>
        ex is AggregateException { InnerExceptions.Count: 1 } aggregate
            ? Describe(aggregate.InnerExceptions[0])
            : $"{ex.GetType().Name}: {ex.Message}";

    private static string Seconds(TimeSpan value) => string.Create(CultureInfo.InvariantCulture, $"{value.TotalSeconds:0.###} s");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Diagnostics collection {Step} failed: {Reason}")]
    private static partial void LogStepFailed(ILogger logger, string step, string? reason);
}
