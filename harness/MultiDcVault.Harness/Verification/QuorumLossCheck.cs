namespace MultiDcVault.Harness.Verification;

/// <summary>
/// While a majority of the voters is away no write can commit: Raft commits an entry only once a majority has
/// stored it. So a write that started after the majority was gone and ended before it was back cannot be
/// acknowledged; one that was is proof the cluster accepted writes without quorum. Writes touching or overlapping either edge
/// prove nothing (they may have committed before the loss, or after the heal) and are left out.
/// </summary>
internal static class QuorumLossCheck
{
    /// <param name="lostFrom">When the last part of the majority was gone (the fault's inject returned).</param>
    /// <param name="lostUntil">When the heal started.</param>
    public static IReadOnlyList<WriteRecord> AcknowledgedWithoutQuorum(IReadOnlyList<WriteRecord> history, DateTimeOffset lostFrom, DateTimeOffset lostUntil)
    {
        ArgumentNullException.ThrowIfNull(history);
        return [.. history.Where(w => w.IsAcknowledged && w.Start > lostFrom && w.End < lostUntil).OrderBy(w => w.Start)];
    }

    /// <summary>Attempts made entirely inside the window, by outcome: what the report shows for the window.</summary>
    public static (int Failed, int Indeterminate, int Acknowledged) Outcomes(IReadOnlyList<WriteRecord> history, DateTimeOffset lostFrom, DateTimeOffset lostUntil)
    {
        ArgumentNullException.ThrowIfNull(history);
        var inside = history.Where(w => w.Start > lostFrom && w.End < lostUntil).ToList();
        return (inside.Count(w => w.Outcome == WriteOutcomeKind.Failed), inside.Count(w => w.Outcome == WriteOutcomeKind.Indeterminate), inside.Count(w => w.IsAcknowledged));
    }
}
