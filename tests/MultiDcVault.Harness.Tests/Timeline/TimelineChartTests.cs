using FluentAssertions;
using MultiDcVault.Harness.Timeline;
using MultiDcVault.Harness.Verification;
using ScottPlot;
using System.Text.RegularExpressions;
using SkiaSharp;
using Xunit;

namespace MultiDcVault.Harness.Tests.Timeline;

public sealed class TimelineChartTests
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public void The_model_has_one_lane_per_datacenter_in_plan_order_above_the_writes_lane()
    {
        var model = TimelineChartModel.From(RecordedHistory.Partition(), "partition drill");

        model.Title.Should().Be("partition drill");
        model.Lanes.Select(l => l.Label).Should().Equal("primary", "secondary", "tertiary", TimelineChartModel.WritesLane);
        model.Lanes.Select(l => l.Y).Should().BeInDescendingOrder("the first datacenter is the top lane");
        model.Seconds.Should().BeApproximately(60, 0.001);
    }

    [Fact]
    public void The_models_bars_are_the_role_segments_in_seconds_since_the_start()
    {
        var model = TimelineChartModel.From(RecordedHistory.Partition(), "t");

        model.Bars.Where(b => b.Datacenter == "primary").Select(b => (b.Role, b.From, b.To)).Should().Equal(
            (NodeRole.Leader, 0d, 15d), (NodeRole.Unreachable, 15d, 37d), (NodeRole.Follower, 37d, 60d));
        model.Bars.Where(b => b.Datacenter == "secondary").Select(b => (b.Role, b.From, b.To)).Should().Equal(
            (NodeRole.Follower, 0d, 21d), (NodeRole.Leader, 21d, 60d));
        model.Bars.Where(b => b.Datacenter == "tertiary").Select(b => (b.Role, b.From, b.To)).Should().Equal((NodeRole.Follower, 0d, 60d));
        model.Bars.Should().OnlyContain(b => b.Y == model.Lane(b.Datacenter).Y);
    }

    [Fact]
    public void The_models_fault_window_covers_the_lanes_of_its_datacenters_and_its_time()
    {
        var model = TimelineChartModel.From(RecordedHistory.Partition(), "t");

        var window = model.Windows.Should().ContainSingle().Subject;
        window.Label.Should().Be(RecordedHistory.PartitionLabel);
        (window.From, window.To).Should().Be((15d, 35d));
        window.LaneYs.Should().Equal(model.Lane("primary").Y);
    }

    [Fact]
    public void A_fault_outside_the_datacenters_covers_every_lane_and_an_open_window_extends_to_the_end()
    {
        var timeline = RecordedHistory.Partition() with
        {
            Faults = [new FaultWindow("kms-outage", [], RecordedHistory.Start.AddSeconds(40), End: null)],
        };

        var window = TimelineChartModel.From(timeline, "t").Windows.Single();

        window.LaneYs.Should().Equal(3d, 2d, 1d, 0d);
        (window.From, window.To).Should().Be((40d, 60d));
    }

    [Fact]
    public void The_models_marks_are_the_writes_at_their_outcome_time_in_one_row_per_outcome()
    {
        var history = RecordedHistory.Partition();
        var model = TimelineChartModel.From(history, "t");

        model.Marks.Should().HaveCount(history.Writes.Count);
        model.Marks.GroupBy(m => m.Outcome).ToDictionary(g => g.Key, g => g.Count()).Should().BeEquivalentTo(
            history.Writes.GroupBy(w => w.Outcome).ToDictionary(g => g.Key, g => g.Count()));
        model.Marks.Select(m => m.Y).Distinct().Should().HaveCount(3, "each outcome has its own row");
        var first = history.Writes[0];
        model.Marks[0].X.Should().BeApproximately((first.End - history.Start).TotalSeconds, 1e-9);
    }

    [Fact]
    public void Every_role_and_every_write_outcome_has_its_own_colour()
    {
        Enum.GetValues<NodeRole>().Select(TimelineChart.ColorOf).Should().OnlyHaveUniqueItems();
        Enum.GetValues<WriteOutcomeKind>().Select(o => TimelineChart.MarkOf(o)).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void The_longest_stretch_without_an_acknowledged_write_is_how_long_writes_stopped()
    {
        var model = TimelineChartModel.From(RecordedHistory.Partition(), "t");

        // The last acknowledged write before the partition ends at 14.715 s, the first after the election at 21.215 s.
        var gap = model.LongestWriteGap!.Value;
        gap.From.Should().BeApproximately(14.715, 1e-9);
        gap.To.Should().BeApproximately(21.215, 1e-9);
        (TimelineChartModel.From(RecordedHistory.Partition() with { Writes = RecordedHistory.Partition().Writes.Where(w => w.Start < RecordedHistory.Start.AddSeconds(10)).ToList() }, "t")
            .LongestWriteGap).Should().BeNull("writes every 500 ms never stop for more than a second");
    }

    [Fact]
    public async Task WriteAsync_writes_a_png_and_an_svg_named_after_the_base_name()
    {
        var directory = Directory.CreateTempSubdirectory("multidc-timeline-").FullName;
        try
        {
            var files = await TimelineChart.WriteAsync(RecordedHistory.Partition(), "partition drill", directory, "timeline-partition", TestContext.Current.CancellationToken);

            files.Should().Be(new TimelineFiles("timeline-partition.png", "timeline-partition.svg"));
            var png = await File.ReadAllBytesAsync(Path.Combine(directory, files.Png), TestContext.Current.CancellationToken);
            png.Take(PngSignature.Length).Should().Equal(PngSignature);
            using var bitmap = SKBitmap.Decode(png);
            (bitmap.Width, bitmap.Height).Should().Be((TimelineChart.Width, TimelineChart.Height(TimelineChartModel.From(RecordedHistory.Partition(), "t"))));
            var svg = await File.ReadAllTextAsync(Path.Combine(directory, files.Svg), TestContext.Current.CancellationToken);
            svg.Should().Contain("<svg").And.Contain("</svg>");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Each_segments_centre_has_its_roles_colour_in_the_picture()
    {
        var model = TimelineChartModel.From(RecordedHistory.Partition(), "t");
        using var plot = TimelineChart.Build(model);
        using var bitmap = Render(plot, model);

        foreach (var bar in model.Bars)
        {
            ColorAt(plot, bitmap, (bar.From + bar.To) / 2, bar.Y).Should().Be(TimelineChart.ColorOf(bar.Role), $"{bar.Datacenter} is {bar.Role} from {bar.From} s to {bar.To} s");
        }
    }

    [Fact]
    public void The_fault_window_shades_its_lane_inside_the_window_and_nowhere_else()
    {
        var model = TimelineChartModel.From(RecordedHistory.Partition(), "t");
        using var plot = TimelineChart.Build(model);
        using var bitmap = Render(plot, model);
        // Between the bar's edge and the shading's edge: the shading shows there, the bar does not. The x values avoid
        // the grid lines (multiples of 5 s), which would colour the pixel themselves.
        var band = (TimelineChartModel.BarHalfHeight + TimelineChartModel.WindowHalfHeight) / 2;
        var primary = model.Lane("primary").Y;
        var secondary = model.Lane("secondary").Y;

        var inside = ColorAt(plot, bitmap, 27.3, primary + band);
        var outside = ColorAt(plot, bitmap, 52.7, primary + band);
        var otherLane = ColorAt(plot, bitmap, 27.3, secondary + band);

        inside.Should().NotBe(outside, "the window is shaded in primary's lane");
        otherLane.Should().Be(outside, "the partition hit primary only, so secondary's lane is not shaded");
        ColorAt(plot, bitmap, 27.3, primary).Should().Be(TimelineChart.UnreachableColor, "the bar stays visible on top of the shading");
    }

    [Fact]
    public void A_write_mark_has_its_outcomes_colour_in_the_picture()
    {
        var model = TimelineChartModel.From(RecordedHistory.Partition(), "t");
        using var plot = TimelineChart.Build(model);
        using var bitmap = Render(plot, model);

        foreach (var outcome in Enum.GetValues<WriteOutcomeKind>().Where(o => o != WriteOutcomeKind.Failed))
        {
            // Failed is a thin X whose centre is antialiased; the filled shapes have a solid centre.
            var mark = model.Marks.First(m => m.Outcome == outcome);
            ColorAt(plot, bitmap, mark.X, mark.Y).Should().Be(TimelineChart.MarkOf(outcome).Color, outcome.ToString());
        }
    }

    [Fact]
    public void The_svg_names_every_lane_and_every_fault_window()
    {
        var model = TimelineChartModel.From(RecordedHistory.Partition(), "partition drill");
        using var plot = TimelineChart.Build(model);

        var svg = plot.GetSvgXml(TimelineChart.Width, TimelineChart.Height(model));

        foreach (var lane in model.Lanes)
        {
            svg.Should().MatchRegex($@">\s*{lane.Label}\s*<", "ScottPlot writes each label as one <text> element");
        }

        svg.Should().MatchRegex($@">\s*{Regex.Escape(RecordedHistory.PartitionLabel)} \(20\.0 s\)\s*<").And.MatchRegex(@">\s*partition drill\s*<");
    }

    private static SKBitmap Render(Plot plot, TimelineChartModel model) =>
        SKBitmap.Decode(plot.GetImageBytes(TimelineChart.Width, TimelineChart.Height(model), ImageFormat.Png));

    private static Color ColorAt(Plot plot, SKBitmap bitmap, double x, double y)
    {
        // GetPixel maps through the layout of the last render, which is the one the bitmap holds.
        var pixel = plot.GetPixel(new Coordinates(x, y));
        var c = bitmap.GetPixel((int)Math.Round(pixel.X), (int)Math.Round(pixel.Y));
        return new Color(c.Red, c.Green, c.Blue);
    }
}
