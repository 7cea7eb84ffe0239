namespace MultiDcVault.Harness.Verification;

/// <summary>Recovery time after a fault: from injection to the first write acknowledged by a new leader.</summary>
/// <param name="Recovery">Time from the fault to that acknowledgement; null when there was none.</param>
/// <param name="FirstWriteThroughNewLeader">The write that proved recovery; null when there was none.</param>
/// <param name="FailureText">Why there is no recovery time; null on success.</param>
public sealed record RtoResult(
    DateTimeOffset FaultInjectedAt,
    string OldLeader,
    TimeSpan? Recovery,
    WriteRecord? FirstWriteThroughNewLeader,
    string? FailureText)
{
    /// <summary>True when a new leader acknowledged a write after the fault (<see cref="Recovery"/> is set).</summary>
    public bool Recovered => Recovery is not null;
}

internal static class RtoMeasurement
{
    /// <summary>
    /// The first write acknowledged (End) at or after <paramref name="faultInjectedAt"/> by a known node other
    /// than <paramref name="oldLeader"/>. A write that started before the fault counts if a new leader
    /// acknowledged it after; writes whose server is unknown cannot prove a new leader and are skipped.
    /// </summary>
    public static RtoResult Measure(IReadOnlyList<WriteRecord> history, DateTimeOffset faultInjectedAt, string oldLeader)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentException.ThrowIfNullOrWhiteSpace(oldLeader);
        var afterFault = history.Where(r => r.End >= faultInjectedAt).ToList();
        var first = afterFault
            .Where(r => r.IsAcknowledged && r.ServedBy is not null && !string.Equals(r.ServedBy, oldLeader, StringComparison.Ordinal))
            .MinBy(r => r.End);
        if (first is not null)
        {
            return new RtoResult(faultInjectedAt, oldLeader, first.End - faultInjectedAt, first, null);
        }

        var byOldLeader = afterFault.Count(r => r.IsAcknowledged && string.Equals(r.ServedBy, oldLeader, StringComparison.Ordinal));
        var unknownServer = afterFault.Count(r => r.IsAcknowledged && r.ServedBy is null);
        var indeterminate = afterFault.Count(r => r.Outcome == WriteOutcomeKind.Indeterminate);
        var failed = afterFault.Count(r => r.Outcome == WriteOutcomeKind.Failed);
        var text =
            FormattableString.Invariant($"No write was acknowledged by a node other than the old leader '{oldLeader}' after the fault at {faultInjectedAt:O}: ") +
            FormattableString.Invariant($"{afterFault.Count} attempts ended after it ({byOldLeader} acknowledged by the old leader, {unknownServer} acknowledged by an unknown node, ") +
            FormattableString.Invariant($"{indeterminate} indeterminate, {failed} failed). ") +
            "No new leader took over while the writers ran: " +
            "check the Raft peers and autopilot state in the run report, and that writes were still running long enough " +
            "(an election takes heartbeat timeout x performance_multiplier plus the new active node's start-up).";
        return new RtoResult(faultInjectedAt, oldLeader, null, null, text);
    }
}
