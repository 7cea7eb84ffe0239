using System.Globalization;
using System.Text.Json.Serialization;
using System.Text.Json;
using System.Text;
using MultiDcVault.Harness.Infrastructure.Secrets;

namespace MultiDcVault.Harness.Verification;

/// <summary>How long one phase of bringing the environment up took, as the run report lists it.</summary>
/// <param name="Name">The phase, with its cluster in brackets when it ran per cluster, e.g. "kind create [secondary]".</param>
/// <param name="Succeeded">False when the phase failed.</param>
public sealed record PhaseTiming(string Name, TimeSpan Duration, bool Succeeded = true);

/// <summary>One injected fault and how the cluster recovered from it.</summary>
public sealed record FaultReport(string Fault, DateTimeOffset InjectedAt, DateTimeOffset? HealedAt, TimeSpan? Rto, string? RtoFailure)
{
    /// <summary>How the fault was made, e.g. "delete pod vault-primary-0 through the Kubernetes API (graceful; ...)".</summary>
    public string? Mechanism { get; init; }

    /// <summary>Pod loss only: from the delete to the replacement pod being Ready.</summary>
    public TimeSpan? PodGoneFor { get; init; }

    /// <summary>The entry of the fault described by <paramref name="fault"/>, with its injection time and recovery time taken from <paramref name="rto"/>.</summary>
    public static FaultReport From(string fault, RtoResult rto, DateTimeOffset? healedAt)
    {
        ArgumentNullException.ThrowIfNull(rto);
        return new FaultReport(fault, rto.FaultInjectedAt, healedAt, rto.Recovery, rto.FailureText);
    }
}

/// <summary>Write attempts by outcome, as the run report lists them.</summary>
/// <param name="Attempts">Every write attempt, retries included.</param>
/// <param name="Acknowledged">Distinct (key, counter) pairs the server confirmed.</param>
/// <param name="Indeterminate">Attempts that may or may not have been applied (timeout, 5xx, no answer).</param>
/// <param name="Failed">Attempts the server refused (4xx).</param>
/// <param name="Lost">Acknowledged writes the final read did not show.</param>
/// <param name="Unexplained">Final values that no attempt could have written.</param>
/// <param name="SplitBrainWindows">Windows in which two nodes acknowledged writes at the same time.</param>
public sealed record WriteCounts(int Attempts, int Acknowledged, int Indeterminate, int Failed, int Lost, int Unexplained, int SplitBrainWindows)
{
    /// <summary>No writes at all.</summary>
    public static WriteCounts Empty { get; } = new(0, 0, 0, 0, 0, 0, 0);

    /// <summary>
    /// Attempts by outcome over <paramref name="history"/> (acknowledged: distinct key and counter), with loss,
    /// unexplained values and split-brain windows the worst over the read-back datacenters' checks.
    /// </summary>
    internal static WriteCounts Of(IReadOnlyList<WriteRecord> history, IEnumerable<HistoryCheckResult> checks)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(checks);
        var all = checks.ToList();
        return new WriteCounts(
            history.Count,
            history.Where(r => r.IsAcknowledged).Select(r => (r.Key, r.Counter)).Distinct().Count(),
            history.Count(r => r.Outcome == WriteOutcomeKind.Indeterminate),
            history.Count(r => r.Outcome == WriteOutcomeKind.Failed),
            all.Select(c => c.Lost.Count).DefaultIfEmpty(0).Max(),
            all.Select(c => c.Unexplained.Count).DefaultIfEmpty(0).Max(),
            all.Select(c => c.SplitBrain.Count).DefaultIfEmpty(0).Max());
    }

    /// <summary>The counts of one history check.</summary>
    public static WriteCounts From(HistoryCheckResult check)
    {
        ArgumentNullException.ThrowIfNull(check);
        return new WriteCounts(check.Attempts, check.Acknowledged, check.Indeterminate, check.Failed, check.Lost.Count, check.Unexplained.Count, check.SplitBrain.Count);
    }
}

/// <summary>
/// How often Raft leadership moved during one test (a lower bound: see the leader-change monitor of the drills).
/// Only failover tests expect a move; any other test with <see cref="Changes"/> above 0 saw an unrelated election,
/// which the report flags so the Raft timing (performance_multiplier) can be judged from real runs.
/// </summary>
/// <param name="LeaderMovesExpected">True for tests that take the leader away on purpose.</param>
/// <param name="Leaders">Each leader in order, e.g. "primary (active since ...)".</param>
public sealed record TestLeaderChanges(
    string Test,
    bool LeaderMovesExpected,
    int Changes,
    int Samples,
    int SamplesWithoutLeader,
    IReadOnlyList<string> Leaders)
{
    /// <summary>True when leadership moved in a test that did not mean to move it: an unrelated election.</summary>
    public bool Unexpected => !LeaderMovesExpected && Changes > 0;
}

/// <summary>A raw GET sys/storage/raft/autopilot/state body, kept as text (it may be empty while autopilot starts).</summary>
public sealed record AutopilotSnapshot(string Label, DateTimeOffset CapturedAt, string Json)
{
    /// <summary>Redacts anything token-shaped before it can reach a report file.</summary>
    public static AutopilotSnapshot Create(string label, DateTimeOffset capturedAt, string? json) =>
        new(label, capturedAt, Redactor.Default.Redact(json));
}

/// <summary>A timeline picture written next to the report, as file names relative to the report's directory.</summary>
/// <param name="Label">What it shows, e.g. the test or drill it was recorded in.</param>
/// <param name="Png">The picture the Markdown report embeds.</param>
/// <param name="Svg">The same picture as SVG (scales, text searchable).</param>
public sealed record TimelinePicture(string Label, string Png, string Svg);

/// <summary>Everything one run produced, written as report.json (machine) and report.md (people).</summary>
public sealed record RunReport
{
    /// <summary>File name of the machine-readable report (<see cref="WriteJsonAsync"/>).</summary>
    public const string JsonFileName = "report.json";
    /// <summary>File name of the report for people (<see cref="WriteMarkdownAsync"/>).</summary>
    public const string MarkdownFileName = "report.md";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Identifies the run; the fixture names the run's report directory after it.</summary>
    public required string RunId { get; init; }

    /// <summary>When the run started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When the run finished, or when the report was last written during it; null when not known.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Overall verdict and its reason, e.g. the history checker's summary.</summary>
    public bool Passed { get; init; }

    /// <summary>Why the run passed or failed, e.g. a drill's description; null when there is nothing to add.</summary>
    public string? Summary { get; init; }

    /// <summary>How long each phase of bringing the environment up took, in the order the phases finished.</summary>
    public IReadOnlyList<PhaseTiming> Phases { get; init; } = [];

    /// <summary>Every injected fault and how the cluster recovered from it.</summary>
    public IReadOnlyList<FaultReport> Faults { get; init; } = [];

    /// <summary>Write attempts by outcome over the whole run.</summary>
    public WriteCounts Writes { get; init; } = WriteCounts.Empty;

    /// <summary>Latency of the acknowledged writes over the whole run.</summary>
    public LatencySummary WriteLatency { get; init; } = LatencySummary.Empty;

    /// <summary>Autopilot state captured during the run (e.g. before and after each fault), redacted.</summary>
    public IReadOnlyList<AutopilotSnapshot> AutopilotSnapshots { get; init; } = [];

    /// <summary>Leader changes per test, in the order the tests finished.</summary>
    public IReadOnlyList<TestLeaderChanges> LeaderChanges { get; init; } = [];

    /// <summary>The timeline pictures written next to the report (one per drill or scenario), in the order they were recorded.</summary>
    public IReadOnlyList<TimelinePicture> Timelines { get; init; } = [];

    /// <summary>The report as indented JSON (camelCase names, enums as text), as report.json holds it.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Reads a report back from the text <see cref="ToJson"/> wrote; throws <see cref="JsonException"/> when it is not one.</summary>
    public static RunReport FromJson(string json) =>
        JsonSerializer.Deserialize<RunReport>(json, JsonOptions)
        ?? throw new JsonException("The run report JSON is 'null'; expected an object written by RunReport.WriteJsonAsync.");

    /// <summary>Reads the report.json file at <paramref name="path"/>.</summary>
    public static async Task<RunReport> ReadJsonAsync(string path, CancellationToken cancellationToken) =>
        FromJson(await File.ReadAllTextAsync(path, cancellationToken));

    /// <summary>Writes report.json into <paramref name="directory"/> (created if needed) and returns its path.</summary>
    public Task<string> WriteJsonAsync(string directory, CancellationToken cancellationToken) =>
        WriteAsync(directory, JsonFileName, ToJson(), cancellationToken);

    /// <summary>Writes report.md into <paramref name="directory"/> (created if needed) and returns its path.</summary>
    public Task<string> WriteMarkdownAsync(string directory, CancellationToken cancellationToken) =>
        WriteAsync(directory, MarkdownFileName, ToMarkdown(), cancellationToken);

    /// <summary>The report as Markdown for people: verdict, summary, timeline pictures, phase and fault tables, write counts and latency, leader changes and autopilot snapshots.</summary>
    public string ToMarkdown()
    {
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"# Run {RunId}: {(Passed ? "passed" : "FAILED")}\n\n");
        md.Append(CultureInfo.InvariantCulture, $"Started {StartedAt:O}");
        if (FinishedAt is { } finished)
        {
            md.Append(CultureInfo.InvariantCulture, $", finished {finished:O} ({Format(finished - StartedAt)})");
        }

        md.Append(".\n\n");
        if (!string.IsNullOrWhiteSpace(Summary))
        {
            md.Append("```\n").Append(Summary).Append("\n```\n\n");
        }

        if (Timelines.Count > 0)
        {
            md.Append("## Timelines\n");
            foreach (var timeline in Timelines)
            {
                md.Append(CultureInfo.InvariantCulture,
                    $"\n### {Cell(timeline.Label)}\n\n![Timeline of {Cell(timeline.Label)}]({Link(timeline.Png)})\n\n[SVG]({Link(timeline.Svg)})\n");
            }

            md.Append('\n');
        }

        if (Phases.Count > 0)
        {
            md.Append("## Phases\n\n| Phase | Duration | Result |\n|---|---:|---|\n");
            foreach (var phase in Phases)
            {
                md.Append(CultureInfo.InvariantCulture, $"| {Cell(phase.Name)} | {Format(phase.Duration)} | {(phase.Succeeded ? "ok" : "failed")} |\n");
            }

            md.Append('\n');
        }

        if (Faults.Count > 0)
        {
            md.Append("## Faults\n\n| Fault | Made by | Injected | Healed | RTO | Pod gone |\n|---|---|---|---|---:|---:|\n");
            foreach (var fault in Faults)
            {
                md.Append(CultureInfo.InvariantCulture,
                    $"| {Cell(fault.Fault)} | {Cell(fault.Mechanism ?? "-")} | {fault.InjectedAt:O} | {(fault.HealedAt is { } h ? h.ToString("O", CultureInfo.InvariantCulture) : "-")} | {(fault.Rto is { } rto ? Format(rto) : "none")} | {(fault.PodGoneFor is { } gone ? Format(gone) : "-")} |\n");
            }

            foreach (var fault in Faults.Where(f => f.RtoFailure is not null))
            {
                md.Append(CultureInfo.InvariantCulture, $"\n- {Cell(fault.Fault)}: {fault.RtoFailure}\n");
            }

            md.Append('\n');
        }

        md.Append("## Writes\n\n| Attempts | Acknowledged | Indeterminate | Failed | Lost | Unexplained | Split-brain windows |\n|---:|---:|---:|---:|---:|---:|---:|\n");
        md.Append(CultureInfo.InvariantCulture,
            $"| {Writes.Attempts} | {Writes.Acknowledged} | {Writes.Indeterminate} | {Writes.Failed} | {Writes.Lost} | {Writes.Unexplained} | {Writes.SplitBrainWindows} |\n\n");

        md.Append("## Acknowledged write latency\n\n| Count | p50 | p95 | max |\n|---:|---:|---:|---:|\n");
        md.Append(CultureInfo.InvariantCulture,
            $"| {WriteLatency.Count} | {Format(WriteLatency.P50)} | {Format(WriteLatency.P95)} | {Format(WriteLatency.Max)} |\n");

        if (LeaderChanges.Count > 0)
        {
            md.Append("\n## Leader changes per test\n\n| Test | Changes | Expected | Samples | Without leader | Leaders |\n|---|---:|---|---:|---:|---|\n");
            foreach (var test in LeaderChanges)
            {
                var expected = test.LeaderMovesExpected ? "yes (failover)" : test.Unexpected ? "**NO: unrelated election**" : "no";
                md.Append(CultureInfo.InvariantCulture,
                    $"| {Cell(test.Test)} | {test.Changes} | {expected} | {test.Samples} | {test.SamplesWithoutLeader} | {Cell(string.Join(" -> ", test.Leaders))} |\n");
            }
        }

        if (AutopilotSnapshots.Count > 0)
        {
            md.Append("\n## Autopilot snapshots\n");
            foreach (var snapshot in AutopilotSnapshots)
            {
                md.Append(CultureInfo.InvariantCulture, $"\n### {snapshot.Label} ({snapshot.CapturedAt:O})\n\n```json\n{snapshot.Json}\n```\n");
            }
        }

        return md.ToString();
    }

    /// <summary>Milliseconds below 10 s, seconds above: what a person scanning RTOs wants to see.</summary>
    public static string Format(TimeSpan value) =>
        value < TimeSpan.FromSeconds(10)
            ? value.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms"
            : value.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";

    // Relative file names may hold spaces; Markdown link targets may not, unescaped.
    private static string Link(string file) => file.Replace(" ", "%20", StringComparison.Ordinal).Replace("\\", "/", StringComparison.Ordinal);

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");

    private static async Task<string> WriteAsync(string directory, string fileName, string content, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, fileName);
        await File.WriteAllTextAsync(path, content, cancellationToken);
        return path;
    }
}
