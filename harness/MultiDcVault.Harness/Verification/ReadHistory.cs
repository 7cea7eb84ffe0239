namespace MultiDcVault.Harness.Verification;

/// <summary>One read of a writer's key as it happened, with client-side start and end times.</summary>
/// <param name="Value">The counter read; null when the key did not exist.</param>
/// <param name="Succeeded">False when the read got no answer or an error: such a read proves nothing.</param>
/// <param name="Through">The datacenter the read was sent to.</param>
internal sealed record ReadRecord(string Key, DateTimeOffset Start, DateTimeOffset End, long? Value, bool Succeeded, string Through, string? Detail = null);

/// <summary>Thread-safe log of every read of a run.</summary>
internal sealed class ReadHistory
{
    private readonly List<ReadRecord> _records = [];
    private readonly Lock _gate = new();

    public void Record(ReadRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_gate)
        {
            _records.Add(record);
        }
    }

    /// <summary>A copy of the records, ordered by start time.</summary>
    public IReadOnlyList<ReadRecord> Snapshot()
    {
        lock (_gate)
        {
            return [.. _records.OrderBy(r => r.Start)];
        }
    }
}
