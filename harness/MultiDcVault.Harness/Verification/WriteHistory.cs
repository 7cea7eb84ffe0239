namespace MultiDcVault.Harness.Verification;

/// <summary>One write attempt as it happened, with client-side start and end times.</summary>
/// <param name="Counter">The value written; each writer writes consecutive counters at its own key.</param>
/// <param name="ServedBy">The node that accepted the write as active node; null when unknown.</param>
/// <param name="Detail">Status code or error text for reports; never a token.</param>
public sealed record WriteRecord(
    string WriterId,
    string Key,
    long Counter,
    DateTimeOffset Start,
    DateTimeOffset End,
    WriteOutcomeKind Outcome,
    string? ServedBy,
    string? Detail)
{
    /// <summary>How long the attempt took, from the client's start to its end.</summary>
    public TimeSpan Latency => End - Start;

    /// <summary>True when the server confirmed the write.</summary>
    public bool IsAcknowledged => Outcome == WriteOutcomeKind.Acknowledged;

    /// <summary>True when this write certainly completed before <paramref name="other"/> started (real-time order).</summary>
    public bool Precedes(WriteRecord other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return End < other.Start;
    }
}

/// <summary>Thread-safe log of every write attempt of every writer in a run.</summary>
internal sealed class WriteHistory
{
    private readonly List<WriteRecord> _records = [];
    private readonly Lock _gate = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _records.Count;
            }
        }
    }

    public void Record(WriteRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_gate)
        {
            _records.Add(record);
        }
    }

    public void Record(WriteRequest request, DateTimeOffset start, DateTimeOffset end, WriteOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(outcome);
        Record(new WriteRecord(request.WriterId, request.Key, request.Counter, start, end, outcome.Kind, outcome.ServedBy, outcome.Detail));
    }

    /// <summary>A copy of the records, ordered by start time.</summary>
    public IReadOnlyList<WriteRecord> Snapshot()
    {
        lock (_gate)
        {
            return [.. _records.OrderBy(r => r.Start)];
        }
    }
}
