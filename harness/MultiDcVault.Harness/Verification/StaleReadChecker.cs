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

/// <summary>A datacenter the harness froze or cut off, from injection to heal (null: still in place).</summary>
internal sealed record IsolationWindow(string Datacenter, DateTimeOffset From, DateTimeOffset? To);

/// <summary>
/// No stale read after a newer acknowledged write on the same key: a read that started after a write of counter c
/// to its key was acknowledged must return at least c (each writer's key only ever grows). Reads that failed prove
/// nothing and are skipped; a read overlapping the acknowledgement may see either value, so only real-time order
/// (write ended before the read started) counts.
/// </summary>
/// <para>
/// Reads sent to a datacenter while the harness had it paused or partitioned (and for <see cref="IsolationGrace"/> after)
/// are not judged: such a node may still believe it leads, and Vault serves a read from the node's own state without
/// asking Raft, so a thawed or cut-off old leader can answer from before the majority moved on until its leader lease
/// check steps it down. That is Vault's documented model (no read index), not a lost write; the caller reports how many
/// reads were left out.
/// </para>
internal static class StaleReadChecker
{
    /// <summary>After a heal: longer than Raft's leader lease (0.5 s x performance_multiplier 5) for the old leader to step down.</summary>
    public static readonly TimeSpan IsolationGrace = TimeSpan.FromSeconds(5);

    /// <summary>The reads <see cref="Check"/> leaves out because they went to an isolated datacenter.</summary>
    public static IReadOnlyList<ReadRecord> ThroughIsolated(IReadOnlyList<ReadRecord> reads, IReadOnlyList<IsolationWindow> isolated)
    {
        ArgumentNullException.ThrowIfNull(reads);
        ArgumentNullException.ThrowIfNull(isolated);
        return [.. reads.Where(r => isolated.Any(w => w.Datacenter == r.Through && r.End >= w.From && (w.To is not { } to || r.Start <= to + IsolationGrace)))];
    }

    public static IReadOnlyList<StaleRead> Check(IReadOnlyList<WriteRecord> writes, IReadOnlyList<ReadRecord> reads, IReadOnlyList<IsolationWindow>? isolated = null)
    {
        ArgumentNullException.ThrowIfNull(writes);
        ArgumentNullException.ThrowIfNull(reads);
        if (isolated is { Count: > 0 })
        {
            var left = ThroughIsolated(reads, isolated).ToHashSet();
            reads = [.. reads.Where(r => !left.Contains(r))];
        }

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
