using FluentAssertions;
using MultiDcVault.Harness.Tests.TestSupport;
using MultiDcVault.Harness.Timeline;
using ScottPlot;
using SkiaSharp;
using Xunit;

namespace MultiDcVault.Harness.Tests.Timeline;

/// <summary>
/// The README's timeline picture (docs/timeline-example.png) is <see cref="RecordedHistory"/> rendered. Bytes are not
/// compared (fonts differ between machines); the size and each lane's bar colours are. To regenerate it after a change
/// to the renderer or the history, run this test with MULTIDC_UPDATE_DOCS=1 and commit docs/timeline-example.*.
/// </summary>
public sealed class ReadmeTimelineExampleTests
{
    internal const string BaseName = "timeline-example";
    internal const string Title = "Example: partition of the leader's datacenter (recorded example history, not a live run)";

    [Fact]
    public async Task The_committed_example_picture_is_the_recorded_history_rendered()
    {
        var root = SharedDirectory.FindRepositoryRoot() ?? throw new DirectoryNotFoundException("MultiDcVault.Tests.sln not found above " + AppContext.BaseDirectory);
        var docs = Path.Combine(root.FullName, "docs");
        var history = RecordedHistory.Partition();
        if (System.Environment.GetEnvironmentVariable("MULTIDC_UPDATE_DOCS") == "1")
        {
            await TimelineChart.WriteAsync(history, Title, docs, BaseName, TestContext.Current.CancellationToken);
        }

        var path = Path.Combine(docs, BaseName + ".png");
        File.Exists(path).Should().BeTrue($"the README shows {path}; regenerate it with MULTIDC_UPDATE_DOCS=1");
        File.Exists(Path.Combine(docs, BaseName + ".svg")).Should().BeTrue("the README links the SVG");
        var model = TimelineChartModel.From(history, Title);
        using var plot = TimelineChart.Build(model);
        using var fresh = SKBitmap.Decode(plot.GetImageBytes(TimelineChart.Width, TimelineChart.Height(model), ImageFormat.Png));
        using var committed = SKBitmap.Decode(await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken));

        (committed.Width, committed.Height).Should().Be((fresh.Width, fresh.Height), "the height follows the lane count");
        foreach (var lane in history.Datacenters)
        {
            // The middle of each lane's longest bar: far from any edge, so a few pixels of font-dependent layout do not matter.
            var bar = model.Bars.Where(b => b.Datacenter == lane).MaxBy(b => b.To - b.From)!;
            var pixel = plot.GetPixel(new Coordinates((bar.From + bar.To) / 2, bar.Y));
            var c = committed.GetPixel((int)pixel.X, (int)pixel.Y);
            new Color(c.Red, c.Green, c.Blue).Should().Be(TimelineChart.ColorOf(bar.Role), $"{lane}'s lane shows {bar.Role} there");
        }

        File.ReadAllText(Path.Combine(root.FullName, "README.md")).Should().Contain($"docs/{BaseName}.png");
    }
}
