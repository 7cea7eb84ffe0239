using System.Globalization;
using MultiDcVault.Harness.Verification;
using ScottPlot;

namespace MultiDcVault.Harness.Timeline;

/// <summary>The timeline picture's files, as names relative to the directory they were written to.</summary>
internal sealed record TimelineFiles(string Png, string Svg);

/// <summary>
/// Draws a <see cref="TimelineChartModel"/> with ScottPlot: one lane per datacenter with its role bars, the fault
/// windows shaded and labelled, a writes lane with one mark per attempt, a legend and a title. Headless (SkiaSharp).
/// </summary>
internal static class TimelineChart
{
    public const int Width = 1200;

    // Okabe-Ito colours (distinguishable with the common colour-vision deficiencies); the leader is the one dark,
    // saturated bar, the follower a light tint of the same hue, so the leader's path reads at a glance.
    public static readonly Color LeaderColor = Color.FromHex("#0072B2");
    public static readonly Color FollowerColor = Color.FromHex("#A6D8F5");
    public static readonly Color SealedColor = Color.FromHex("#E69F00");
    public static readonly Color UnreachableColor = Color.FromHex("#8C8C8C");
    public static readonly Color FaultColor = Color.FromHex("#D55E00").WithAlpha(0.22);
    public static readonly Color AcknowledgedColor = Color.FromHex("#009E73");
    public static readonly Color FailedColor = Color.FromHex("#D55E00");
    public static readonly Color IndeterminateColor = Color.FromHex("#CC79A7");

    // ScottPlot's own pick is a serif face on some Linux machines; the first sans face that is really installed reads better.
    private static readonly string SansFont = new[] { "Segoe UI", "Helvetica", "Arial", "DejaVu Sans", "Liberation Sans" }
        .FirstOrDefault(f => string.Equals(Fonts.GetTypeface(f, bold: false, italic: false)?.FamilyName, f, StringComparison.OrdinalIgnoreCase))
        ?? Fonts.Sans;

    /// <summary>Height grows with the lanes so a lane stays readable with five or seven datacenters.</summary>
    public static int Height(TimelineChartModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return 220 + (70 * model.Lanes.Count);
    }

    public static Color ColorOf(NodeRole role) => role switch
    {
        NodeRole.Leader => LeaderColor,
        NodeRole.Follower => FollowerColor,
        NodeRole.Sealed => SealedColor,
        _ => UnreachableColor,
    };

    public static (Color Color, MarkerShape Shape) MarkOf(WriteOutcomeKind outcome) => outcome switch
    {
        WriteOutcomeKind.Acknowledged => (AcknowledgedColor, MarkerShape.FilledCircle),
        WriteOutcomeKind.Failed => (FailedColor, MarkerShape.Eks),
        _ => (IndeterminateColor, MarkerShape.FilledTriangleUp),
    };

    /// <summary>Renders <paramref name="timeline"/> to <paramref name="baseName"/>.png and .svg in <paramref name="directory"/> (created if needed).</summary>
    public static async Task<TimelineFiles> WriteAsync(
        RunTimeline timeline, string title, string directory, string baseName, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentException.ThrowIfNullOrWhiteSpace(baseName);
        var model = TimelineChartModel.From(timeline, title);
        using var plot = Build(model);
        var height = Height(model);
        var files = new TimelineFiles(baseName + ".png", baseName + ".svg");
        Directory.CreateDirectory(directory);
        await File.WriteAllBytesAsync(Path.Combine(directory, files.Png), plot.GetImageBytes(Width, height, ImageFormat.Png), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(directory, files.Svg), plot.GetSvgXml(Width, height), cancellationToken);
        return files;
    }

    /// <summary>The plot of <paramref name="model"/>; the caller renders (and disposes) it.</summary>
    public static Plot Build(TimelineChartModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var plot = new Plot();

        // Shading first, so the role bars stay fully visible on top of it and the shade shows around them.
        foreach (var window in model.Windows)
        {
            foreach (var y in window.LaneYs)
            {
                var shade = plot.Add.Rectangle(window.From, window.To, y - TimelineChartModel.WindowHalfHeight, y + TimelineChartModel.WindowHalfHeight);
                shade.FillColor = FaultColor;
                shade.LineWidth = 0;
            }
        }

        foreach (var bar in model.Bars)
        {
            var rect = plot.Add.Rectangle(bar.From, bar.To, bar.Y - TimelineChartModel.BarHalfHeight, bar.Y + TimelineChartModel.BarHalfHeight);
            rect.FillColor = ColorOf(bar.Role);
            rect.LineWidth = 0;
        }

        foreach (var group in model.Marks.GroupBy(m => m.Outcome))
        {
            var (color, shape) = MarkOf(group.Key);
            plot.Add.Markers(group.Select(m => m.X).ToArray(), group.Select(m => m.Y).ToArray(), shape, 7, color);
        }

        // Window labels sit in a header row above the top lane, staggered so overlapping windows stay legible.
        var top = model.Lanes.Max(l => l.Y);
        for (var i = 0; i < model.Windows.Count; i++)
        {
            var window = model.Windows[i];
            var label = plot.Add.Text(
                string.Create(CultureInfo.InvariantCulture, $"{window.Label} ({window.To - window.From:0.0} s)"),
                window.From,
                top + 0.55 + (0.3 * (i % 2)));
            label.LabelFontSize = 13;
            label.LabelFontColor = Colors.Black;
            label.LabelAlignment = Alignment.LowerLeft;
            label.LabelFontName = SansFont;
            foreach (var x in new[] { window.From, window.To })
            {
                var edge = plot.Add.VerticalLine(x, 1, FailedColor);
                edge.LinePattern = LinePattern.Dashed;
            }
        }

        if (model.LongestWriteGap is { } gap)
        {
            var stopped = plot.Add.Text(
                string.Create(CultureInfo.InvariantCulture, $"writes stopped {gap.To - gap.From:0.0} s"),
                (gap.From + gap.To) / 2,
                TimelineChartModel.MarkOffset(WriteOutcomeKind.Acknowledged) + 0.12);
            stopped.LabelFontSize = 12;
            stopped.LabelBold = true;
            stopped.LabelFontColor = Colors.Black;
            stopped.LabelAlignment = Alignment.LowerCenter;
            stopped.LabelFontName = SansFont;
        }

        plot.Title(model.Title);
        plot.XLabel("seconds since the start of recording");
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. model.Lanes.Select(l => l.Y)], [.. model.Lanes.Select(l => l.Label)]);
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Grid.YAxisStyle.IsVisible = false;
        plot.Axes.SetLimits(0, Math.Max(model.Seconds, 1), -0.6, top + 1.3);

        plot.Legend.ManualItems.AddRange(
        [
            Swatch("leader", LeaderColor), Swatch("follower", FollowerColor), Swatch("sealed", SealedColor),
            Swatch("unreachable", UnreachableColor), Swatch("fault window", FaultColor),
            Mark("acknowledged", WriteOutcomeKind.Acknowledged), Mark("failed", WriteOutcomeKind.Failed),
            Mark("indeterminate", WriteOutcomeKind.Indeterminate),
        ]);
        plot.Legend.Orientation = Orientation.Horizontal;
        plot.Legend.FontName = SansFont;
        plot.Legend.FontSize = 13;
        plot.ShowLegend(Edge.Bottom);
        // Last, so it reaches the title, axes, legend and window labels alike.
        plot.Font.Set(SansFont);
        return plot;
    }

    private static LegendItem Swatch(string text, Color color) => new() { LabelText = text, FillColor = color, LineWidth = 0 };

    private static LegendItem Mark(string text, WriteOutcomeKind outcome)
    {
        var (color, shape) = MarkOf(outcome);
        return new LegendItem { LabelText = text, MarkerShape = shape, MarkerFillColor = color, MarkerLineColor = color, MarkerSize = 9, LineWidth = 0 };
    }
}
