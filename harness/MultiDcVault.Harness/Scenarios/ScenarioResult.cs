using System.Globalization;
using System.Text;
using MultiDcVault.Harness.Timeline;
using MultiDcVault.Harness.Verification;

namespace MultiDcVault.Harness.Scenarios;

/// <summary>What one run of one scenario variant saw, the verdict and every number a person wants from it.</summary>
/// <param name="Problems">Every assertion that did not hold, in words a person can act on; empty when it passed.</param>
/// <param name="Measurements">Numbers worth reading even when it passed, e.g. "time without a leader: 12.0 s".</param>
internal sealed record ScenarioResult(
    string Scenario,
    string Variant,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    IReadOnlyList<string> Problems,
    IReadOnlyList<string> Measurements,
    IReadOnlyList<FaultReport> Faults,
    WorkloadResult Workload,
    IReadOnlyDictionary<string, HistoryCheckResult> Checks,
    IReadOnlyList<AutopilotSnapshot> AutopilotSnapshots,
    RunTimeline? Timeline)
{
    public bool Passed => Problems.Count == 0;

    /// <summary>Soak only: the seed that replays the schedule.</summary>
    public long? Seed { get; init; }

    public string Title => Variant.Length == 0 ? Scenario : $"{Scenario} ({Variant})";

    public WriteCounts Writes => WriteCounts.Of(Workload.Writes, Checks.Values);

    /// <summary>The verdict line, the measurements, the write counts and every problem.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{(Passed ? "PASSED" : "FAILED")} scenario {Title} in {RunReport.Format(FinishedAt - StartedAt)}.");
        if (Seed is { } seed)
        {
            text.Append(CultureInfo.InvariantCulture, $" Seed {seed} (replay: --seed {seed}).");
        }

        foreach (var line in Measurements)
        {
            text.Append("\n  ").Append(line);
        }

        var w = Writes;
        text.Append(CultureInfo.InvariantCulture,
            $"\nWrites: {w.Attempts} attempts, {w.Acknowledged} acknowledged, {w.Indeterminate} indeterminate, {w.Failed} failed, {w.Lost} lost, {w.SplitBrainWindows} split-brain windows; reads: {Workload.Reads.Count(r => r.Succeeded)} answered of {Workload.Reads.Count}.");
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

    public RunReport ToRunReport(string runId) => new()
    {
        RunId = runId,
        StartedAt = StartedAt,
        FinishedAt = FinishedAt,
        Passed = Passed,
        Summary = Describe(),
        Faults = Faults,
        Writes = Writes,
        WriteLatency = LatencySummary.FromHistory(Workload.Writes),
        AutopilotSnapshots = AutopilotSnapshots,
    };
}
