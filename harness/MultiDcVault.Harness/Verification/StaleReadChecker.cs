namespace MultiDcVault.Harness.Verification;

/// <summary>A successful read that returned less than a write acknowledged before the read started.</summary>
internal sealed record StaleRead(ReadRecord Read, WriteRecord NewerWrite)
{
    /// <summary>One sentence: the read, what it returned, and the acknowledged write it missed.</summary>
    public string Describe() =>
        FormattableString.Invariant(
            $"read of {Read.Key} through {Read.Through} (started {Read.Start:O}) returned {(Read.Value is { } v ? v.ToString(System.Globalization.CultureInfo.InvariantCulture) : "nothing")}, ") +
        FormattableString.Invariant(
            $"but {NewerWrite.Key}={NewerWrite.Counter} had been acknowledged at {NewerWrite.End:O}");
}

/// <summary>
/// No stale read after a newer acknowledged write on the same key: a read that started after a write of counter c
/// to its key was acknowledged must return at least c (each writer's key only ever grows). Reads that failed prove
/// nothing and are skipped; a read overlapping the acknowledgement may see either value, so only real-time order
/// (write ended before the read started) counts.
/// </summary>
internal static class StaleReadChecker
{
    public static IReadOnlyList<StaleRead> Check(IReadOnlyList<WriteRecord> writes, IReadOnlyList<ReadRecord> reads)
    {
        ArgumentNullException.ThrowIfNull(writes);
        ArgumentNullException.ThrowIfNull(reads);
        var acknowledged = writes.Where(w => w.IsAcknowledged).GroupBy(w => w.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(w => w.End).ToList(), StringComparer.Ordinal);
        var stale = new List<StaleRead>();
        foreach (var read in reads.Where(r => r.Succeeded))
        {
            if (!acknowledged.TryGetValue(read.Key, out var byEnd))
            {
                continue;
            }

            // The highest counter acknowledged before this read started.
            var newest = byEnd.TakeWhile(w => w.End < read.Start).MaxBy(w => w.Counter);
            if (newest is not null && (read.Value is null || read.Value < newest.Counter))
            {
                stale.Add(new StaleRead(read, newest));
            }
        }

        return stale;
    }
}
