using System.Text;
using MultiDcVault.Harness.Verification;

namespace MultiDcVault.Harness.Timeline;

/// <summary>
/// Writes a run's report directory in one place for the E2E fixture and <c>multidc failover</c>: each timeline picture
/// (PNG and SVG), then report.json and report.md listing them, so the Markdown can embed the pictures beside it.
/// </summary>
internal static class RunReportWriter
{
    /// <summary>&lt;work directory&gt;/reports/&lt;run id&gt;: where a run's report goes.</summary>
    public static string DirectoryFor(string workDirectory, string runId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workDirectory);
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        return Path.Combine(workDirectory, "reports", runId);
    }

    /// <summary>Writes the pictures of <paramref name="timelines"/> (each titled with its label) and the report listing them; returns report.md's path.</summary>
    public static async Task<string> WriteAsync(
        RunReport report, IReadOnlyList<(string Label, RunTimeline Timeline)> timelines, string directory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(timelines);
        var pictures = new List<TimelinePicture>();
        for (var i = 0; i < timelines.Count; i++)
        {
            var (label, timeline) = timelines[i];
            // The index keeps names unique when two tests' labels make the same slug.
            var baseName = $"timeline-{i + 1:00}-{Slug(label)}";
            var files = await TimelineChart.WriteAsync(timeline, label, directory, baseName, cancellationToken);
            pictures.Add(new TimelinePicture(label, files.Png, files.Svg));
        }

        var withPictures = report with { Timelines = [.. report.Timelines, .. pictures] };
        await withPictures.WriteJsonAsync(directory, cancellationToken);
        return await withPictures.WriteMarkdownAsync(directory, cancellationToken);
    }

    /// <summary>A file-name-safe form of <paramref name="label"/>: lower-case letters and digits, runs of anything else as one dash, at most 60 characters.</summary>
    internal static string Slug(string label)
    {
        var slug = new StringBuilder();
        foreach (var c in label.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                slug.Append(c);
            }
            else if (slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
        }

        var text = slug.ToString(0, Math.Min(slug.Length, 60)).Trim('-');
        return text.Length == 0 ? "run" : text;
    }
}
