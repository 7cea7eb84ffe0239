using System.Globalization;
using System.Text;
using MultiDcVault.Harness.Faults;
using MultiDcVault.Harness.Timeline;
using MultiDcVault.Harness.Verification;

namespace MultiDcVault.Harness.Drills;

/// <summary>What a <see cref="FailoverDrill"/> saw; everything the E2E tests assert and the CLI prints.</summary>
/// <param name="Fault">The fault's description, e.g. "outage(primary)".</param>
/// <param name="OldLeader">Datacenter of the active node before the fault.</param>
/// <param name="NewLeader">Datacenter that confirmed itself active after the fault; null when none did in time.</param>
/// <param name="Rto">From the fault to the first write acknowledged by a node other than the old leader.</param>
/// <param name="Recovered">After the heal the cluster was healthy again (all voters, autopilot healthy); false with Heal off.</param>
/// <param name="OldLeaderRejoinedAsFollower">After recovery the old leader's node answered as a standby.</param>
/// <param name="Checks">The history check per datacenter the acknowledged writes were read back through.</param>
/// <param name="Problems">Everything that went wrong, in words a person can act on; empty when the drill passed.</param>
public sealed record FailoverDrillResult(
    FailoverMode Mode,
    string Fault,
    string OldLeader,
    string? NewLeader,
    DateTimeOffset FaultInjectedAt,
    DateTimeOffset? HealedAt,
    RtoResult Rto,
    bool Recovered,
    bool OldLeaderRejoinedAsFollower,
    IReadOnlyList<WriterSummary> Writers,
    IReadOnlyList<WriteRecord> History,
    IReadOnlyDictionary<string, HistoryCheckResult> Checks,
    IReadOnlyList<AutopilotSnapshot> AutopilotSnapshots,
    IReadOnlyList<string> Problems)
{
    /// <summary>True when the drill found nothing wrong (<see cref="Problems"/> is empty).</summary>
    public bool Passed => Problems.Count == 0;

    /// <summary>How the fault was made (<see cref="IFault.Mechanism"/>), e.g. which command took the leader away.</summary>
    public string? FaultMechanism { get; init; }

    /// <summary>Pod-loss mode only: when the pod was deleted and when its replacement was Ready.</summary>
    public PodLossTimeline? PodLoss { get; init; }

    /// <summary>Every datacenter's role over the drill, the fault window and the writes: what the report's timeline picture draws; null when not recorded.</summary>
    public RunTimeline? Timeline { get; init; }

    /// <summary>Writes counted over the history (distinct acknowledged counters), with loss counted over every read-back datacenter.</summary>
    public WriteCounts Writes => WriteCounts.Of(History, Checks.Values);

    /// <summary>Latency of the acknowledged writes over the whole history.</summary>
    public LatencySummary WriteLatency => LatencySummary.FromHistory(History);

    /// <summary>This drill's fault as a run report entry: when it was injected and healed, the recovery time, how it was made and, for pod loss, how long the pod was gone.</summary>
    public FaultReport ToFaultReport() =>
        FaultReport.From(Fault, Rto, HealedAt) with { Mechanism = FaultMechanism, PodGoneFor = PodLoss?.GoneFor };

    /// <summary>A complete run report for this drill alone (the CLI's `multidc failover`).</summary>
    public RunReport ToRunReport(string runId, DateTimeOffset startedAt, DateTimeOffset finishedAt) => new()
    {
        RunId = runId,
        StartedAt = startedAt,
        FinishedAt = finishedAt,
        Passed = Passed,
        Summary = Describe(),
        Faults = [ToFaultReport()],
        Writes = Writes,
        WriteLatency = WriteLatency,
        AutopilotSnapshots = AutopilotSnapshots,
    };

    /// <summary>A few lines for test output and the console.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"{(Passed ? "PASSED" : "FAILED")} {DrillFaults.Name(Mode)} drill, {Fault}: leader {OldLeader} -> {NewLeader ?? "none"}, " +
            $"RTO {(Rto.Recovery is { } rto ? RunReport.Format(rto) : "none")}, " +
            $"{(HealedAt is null ? "not healed" : Recovered ? "recovered" : "NOT recovered")}" +
            $"{(Recovered ? OldLeaderRejoinedAsFollower ? $", {OldLeader} rejoined as follower" : $", {OldLeader} did not come back as follower" : string.Empty)}.");
        if (FaultMechanism is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"\nFault made by: {FaultMechanism}.");
        }

        if (PodLoss is not null)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"\nPod {PodLoss.Pod} gone for {(PodLoss.GoneFor is { } gone ? RunReport.Format(gone) : "unknown (replacement not Ready while the drill watched)")}.");
        }

        var w = Writes;
        text.Append(CultureInfo.InvariantCulture,
            $"\nWrites: {w.Attempts} attempts, {w.Acknowledged} acknowledged, {w.Indeterminate} indeterminate, {w.Failed} failed, {w.Lost} lost, {w.SplitBrainWindows} split-brain windows; latency {Latency(WriteLatency)}.");
        foreach (var writer in Writers)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"\n  writer {writer.WriterId}: {writer.Acknowledged} acknowledged up to counter {writer.LastAcknowledgedCounter?.ToString(CultureInfo.InvariantCulture) ?? "none"}, {writer.Indeterminate} indeterminate, {writer.Failed} failed");
        }

        foreach (var (dc, check) in Checks)
        {
            text.Append(CultureInfo.InvariantCulture, $"\nRead back through {dc}: {check.Summary}");
        }

        foreach (var problem in Problems)
        {
            text.Append("\nProblem: ").Append(problem);
        }

        return text.ToString();
    }

    private static string Latency(LatencySummary l) =>
        $"p50 {RunReport.Format(l.P50)}, p95 {RunReport.Format(l.P95)}, max {RunReport.Format(l.Max)}";
}
