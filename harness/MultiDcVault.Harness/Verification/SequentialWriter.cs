using MultiDcVault.Harness.Infrastructure.Secrets;
using System.Globalization;

namespace MultiDcVault.Harness.Verification;

/// <summary>How a writer names its keys.</summary>
internal enum WriterKeyMode
{
    /// <summary>One key per writer ("&lt;prefix&gt;/&lt;id&gt;") overwritten with increasing counters: the final value must be >= the last acknowledged counter.</summary>
    SingleKey,

    /// <summary>One key per counter ("&lt;prefix&gt;/&lt;id&gt;/&lt;n&gt;"): every acknowledged key must exist afterwards.</summary>
    KeyPerWrite,
}

internal sealed record SequentialWriterOptions
{
    public WriterKeyMode KeyMode { get; init; } = WriterKeyMode.SingleKey;

    public string KeyPrefix { get; init; } = "writer";

    public long FirstCounter { get; init; } = 1;

    /// <summary>Stop after this many acknowledged writes (null: no limit).</summary>
    public int? MaxAcknowledgedWrites { get; init; }

    /// <summary>Stop after this many attempts, whatever their outcome (null: no limit).</summary>
    public int? MaxAttempts { get; init; }

    /// <summary>Stop starting new writes after this long (null: no limit).</summary>
    public TimeSpan? MaxDuration { get; init; }

    /// <summary>A write running longer than this is abandoned and recorded as indeterminate.</summary>
    public TimeSpan WriteTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Pause between attempts (zero: none), so a failing cluster is not hammered.</summary>
    public TimeSpan DelayBetweenWrites { get; init; } = TimeSpan.FromMilliseconds(50);

    public void Validate()
    {
        if (MaxAcknowledgedWrites is null && MaxAttempts is null && MaxDuration is null)
        {
            // Cancellation alone would also stop it, but an unbounded writer is almost always a bug in a test.
            throw new ArgumentException("A sequential writer needs a bound: set MaxAcknowledgedWrites, MaxAttempts or MaxDuration.");
        }

        if (MaxAcknowledgedWrites <= 0 || MaxAttempts <= 0 || MaxDuration <= TimeSpan.Zero || WriteTimeout <= TimeSpan.Zero || DelayBetweenWrites < TimeSpan.Zero)
        {
            throw new ArgumentException("Writer bounds and timeouts must be positive (DelayBetweenWrites may be zero).");
        }
    }

    public string KeyFor(string writerId, long counter) => KeyMode switch
    {
        WriterKeyMode.SingleKey => $"{KeyPrefix}/{writerId}",
        _ => $"{KeyPrefix}/{writerId}/{counter.ToString(CultureInfo.InvariantCulture)}",
    };
}

/// <summary>What one writer did.</summary>
/// <param name="LastAcknowledgedCounter">Highest acknowledged counter, or null when nothing was acknowledged.</param>
public sealed record WriterSummary(string WriterId, int Attempts, int Acknowledged, int Failed, int Indeterminate, long? LastAcknowledgedCounter, bool StoppedByCancellation);

/// <summary>
/// A Jepsen-style writer: writes counter n, and only moves on to n+1 once n was acknowledged;
/// a failed or indeterminate write is retried with the same counter. Every attempt goes into
/// the shared <see cref="WriteHistory"/>. Cancelling the token passed to RunAsync is the normal
/// way to stop it: it returns its summary instead of throwing.
/// </summary>
internal sealed class SequentialWriter
{
    private readonly Func<WriteRequest, CancellationToken, Task<WriteOutcome>> _write;
    private readonly WriteHistory _history;
    private readonly TimeProvider _timeProvider;
    private readonly SequentialWriterOptions _options;

    public SequentialWriter(
        string writerId,
        Func<WriteRequest, CancellationToken, Task<WriteOutcome>> write,
        WriteHistory history,
        SequentialWriterOptions options,
        TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(writerId);
        ArgumentNullException.ThrowIfNull(write);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        WriterId = writerId;
        _write = write;
        _history = history;
        _options = options;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    public string WriterId { get; }

    public async Task<WriterSummary> RunAsync(CancellationToken cancellationToken)
    {
        var startedAt = _timeProvider.GetUtcNow();
        var counter = _options.FirstCounter;
        long? lastAcknowledged = null;
        int attempts = 0, acknowledged = 0, failed = 0, indeterminate = 0;

        while (!cancellationToken.IsCancellationRequested && !BoundReached(startedAt, attempts, acknowledged))
        {
            var request = new WriteRequest(WriterId, _options.KeyFor(WriterId, counter), counter);
            var outcome = await AttemptAsync(request, cancellationToken);
            attempts++;
            switch (outcome.Kind)
            {
                case WriteOutcomeKind.Acknowledged:
                    acknowledged++;
                    lastAcknowledged = counter;
                    counter++;
                    break;
                case WriteOutcomeKind.Failed:
                    failed++;
                    break;
                default:
                    indeterminate++;
                    break;
            }

            if (_options.DelayBetweenWrites > TimeSpan.Zero && !cancellationToken.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(_options.DelayBetweenWrites, _timeProvider, cancellationToken);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    break;
                }
            }
        }

        return new WriterSummary(WriterId, attempts, acknowledged, failed, indeterminate, lastAcknowledged, cancellationToken.IsCancellationRequested);
    }

    private bool BoundReached(DateTimeOffset startedAt, int attempts, int acknowledged) =>
        attempts >= _options.MaxAttempts ||
        acknowledged >= _options.MaxAcknowledgedWrites ||
        _timeProvider.GetUtcNow() - startedAt >= _options.MaxDuration;

    /// <summary>Runs one write; anything but an outcome from the delegate (timeout, exception, stop) is indeterminate.</summary>
    private async Task<WriteOutcome> AttemptAsync(WriteRequest request, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.WriteTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var start = _timeProvider.GetUtcNow();
        WriteOutcome outcome;
        try
        {
            outcome = await _write(request, linked.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            outcome = WriteOutcome.Indeterminate($"timed out after {_options.WriteTimeout}");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            outcome = WriteOutcome.Indeterminate("writer stopped while the write was in flight");
        }
        catch (Exception ex)
        {
            outcome = WriteOutcome.Indeterminate($"{ex.GetType().Name}: {Redactor.Default.Redact(ex.Message)}");
        }

        _history.Record(request, start, _timeProvider.GetUtcNow(), outcome);
        return outcome;
    }
}
