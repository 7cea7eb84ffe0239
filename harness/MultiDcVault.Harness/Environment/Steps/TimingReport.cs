using System.Text.Json.Serialization;
using System.Text.Json;

namespace MultiDcVault.Harness.Environment.Steps;

/// <summary>One phase in <c>timings.json</c>: seconds from the start of the run.</summary>
internal sealed record RecordedPhase(string Phase, string? Cluster, double StartSeconds, double EndSeconds, double DurationSeconds, string Outcome);

/// <summary>
/// Where the time of one <c>up</c> went: every phase per cluster and the critical path, the chain of
/// phases that decided the total (shorten one of them and the run gets shorter).
/// </summary>
internal sealed record TimingReport(
    DateTimeOffset StartedAt,
    double TotalSeconds,
    string Outcome,
    IReadOnlyList<RecordedPhase> Phases,
    IReadOnlyList<RecordedPhase> CriticalPath)
{
    public const string FileName = "timings.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Sum of the critical path's phase durations (gaps between them are not counted).</summary>
    public double CriticalPathSeconds => CriticalPath.Sum(p => p.DurationSeconds);

    public static TimingReport From(IReadOnlyList<PhaseRecord> records, DateTimeOffset startedAt, DateTimeOffset endedAt, string outcome)
    {
        ArgumentNullException.ThrowIfNull(records);
        var phases = records
            .OrderBy(r => r.Start)
            .ThenBy(r => r.End)
            .Select(r => ToTiming(r, startedAt))
            .ToList();
        return new TimingReport(startedAt, Seconds(endedAt - startedAt), outcome, phases, CriticalPathOf(phases));
    }

    /// <summary>
    /// Walks back from the phase that ended last: each step's predecessor is the phase that ended
    /// last before it started, i.e. the one it was waiting for.
    /// </summary>
    public static IReadOnlyList<RecordedPhase> CriticalPathOf(IReadOnlyList<RecordedPhase> phases)
    {
        ArgumentNullException.ThrowIfNull(phases);
        const double slack = 1e-3;

        // Instant phases decide nothing and would make ties ambiguous.
        var timed = phases.Where(p => p.DurationSeconds > slack).ToList();
        var path = new List<RecordedPhase>();
        var current = timed.OrderByDescending(p => p.EndSeconds).ThenByDescending(p => p.DurationSeconds).FirstOrDefault();
        while (current is not null)
        {
            path.Add(current);
            var (start, cluster) = (current.StartSeconds, current.Cluster);

            // Ties (several phases ended together) go to the same cluster's phase: that is the one it followed.
            current = timed
                .Where(p => p.EndSeconds <= start + slack && !path.Contains(p))
                .OrderByDescending(p => Math.Round(p.EndSeconds / slack))
                .ThenByDescending(p => cluster is not null && p.Cluster == cluster)
                .ThenByDescending(p => p.DurationSeconds)
                .FirstOrDefault();
        }

        path.Reverse();
        return path;
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static TimingReport Parse(string json) =>
        JsonSerializer.Deserialize<TimingReport>(json, Json) ?? throw new InvalidDataException("The timing report is empty.");

    public async Task<string> WriteAsync(string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        await File.WriteAllTextAsync(path, ToJson(), cancellationToken);
        return path;
    }

    private static RecordedPhase ToTiming(PhaseRecord record, DateTimeOffset startedAt) =>
        new(record.Phase, record.Cluster, Seconds(record.Start - startedAt), Seconds(record.End - startedAt), Seconds(record.Duration), record.Outcome.ToString().ToLowerInvariant());

    private static double Seconds(TimeSpan value) => Math.Round(value.TotalSeconds, 3);
}
