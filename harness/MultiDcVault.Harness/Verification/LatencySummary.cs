namespace MultiDcVault.Harness.Verification;

/// <summary>Latency of acknowledged writes (nearest-rank percentiles).</summary>
public sealed record LatencySummary(int Count, TimeSpan P50, TimeSpan P95, TimeSpan Max)
{
    /// <summary>No acknowledged writes: count 0 and every latency zero.</summary>
    public static LatencySummary Empty { get; } = new(0, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);

    /// <summary>The latency of the acknowledged writes in <paramref name="history"/>; failed and indeterminate attempts are left out.</summary>
    public static LatencySummary FromHistory(IEnumerable<WriteRecord> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        return FromLatencies(history.Where(r => r.IsAcknowledged).Select(r => r.Latency));
    }

    /// <summary>Nearest-rank p50 and p95 and the maximum of <paramref name="latencies"/>; <see cref="Empty"/> when there are none.</summary>
    public static LatencySummary FromLatencies(IEnumerable<TimeSpan> latencies)
    {
        ArgumentNullException.ThrowIfNull(latencies);
        var sorted = latencies.Order().ToArray();
        return sorted.Length == 0
            ? Empty
            : new LatencySummary(sorted.Length, Percentile(sorted, 50), Percentile(sorted, 95), sorted[^1]);
    }

    private static TimeSpan Percentile(TimeSpan[] sorted, int percent)
    {
        // Nearest rank: the smallest value with at least `percent`% of the values at or below it.
        var rank = (int)Math.Ceiling(percent / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }
}
