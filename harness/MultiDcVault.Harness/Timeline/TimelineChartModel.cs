using MultiDcVault.Harness.Verification;

namespace MultiDcVault.Harness.Timeline;

/// <summary>One horizontal lane: a datacenter, or the writes lane at the bottom. <paramref name="Y"/> is its centre.</summary>
internal sealed record ChartLane(string Label, double Y);

/// <summary>A role segment as a bar in its datacenter's lane, in seconds since the timeline's start.</summary>
internal sealed record ChartBar(string Datacenter, NodeRole Role, double From, double To, double Y);

/// <summary>A fault window, shaded over the lanes at <paramref name="LaneYs"/> from <paramref name="From"/> to <paramref name="To"/> seconds.</summary>
internal sealed record ChartWindow(string Label, double From, double To, IReadOnlyList<double> LaneYs);

/// <summary>One write attempt as a mark in the writes lane, at the time its outcome was known.</summary>
internal sealed record ChartMark(WriteOutcomeKind Outcome, double X, double Y);

/// <summary>
/// What the timeline picture shows, in chart coordinates (x: seconds since <see cref="RunTimeline.Start"/>; y: lanes,
/// the first datacenter at the top, the writes lane at y = 0). Pure, so tests check the picture's content without pixels.
/// </summary>
internal sealed record TimelineChartModel(
    string Title,
    double Seconds,
    IReadOnlyList<ChartLane> Lanes,
    IReadOnlyList<ChartBar> Bars,
    IReadOnlyList<ChartWindow> Windows,
    IReadOnlyList<ChartMark> Marks)
{
    /// <summary>The longest stretch between two acknowledged writes (seconds), labelled in the writes lane when longer than a second: how long writes stopped.</summary>
    public (double From, double To)? LongestWriteGap
    {
        get
        {
            var acknowledged = Marks.Where(m => m.Outcome == WriteOutcomeKind.Acknowledged).Select(m => m.X).Order().ToList();
            var gaps = acknowledged.Zip(acknowledged.Skip(1), (from, to) => (From: from, To: to)).Where(g => g.To - g.From > 1).ToList();
            return gaps.Count == 0 ? null : gaps.MaxBy(g => g.To - g.From);
        }
    }

    /// <summary>Label of the lane that holds the write marks.</summary>
    public const string WritesLane = "writes";

    /// <summary>Half the height of a role bar; lanes are 1 apart.</summary>
    public const double BarHalfHeight = 0.3;

    /// <summary>Half the height of a fault window's shading in one lane: taller than the bar, so the shading shows around it.</summary>
    public const double WindowHalfHeight = 0.48;

    /// <summary>Vertical offset of each outcome's row inside the writes lane, so dense marks of different outcomes do not hide each other.</summary>
    public static double MarkOffset(WriteOutcomeKind outcome) => outcome switch
    {
        WriteOutcomeKind.Acknowledged => 0.25,
        WriteOutcomeKind.Indeterminate => 0,
        _ => -0.25,
    };

    /// <summary>The lane of <paramref name="label"/> (a datacenter or <see cref="WritesLane"/>).</summary>
    public ChartLane Lane(string label) => Lanes.Single(l => l.Label == label);

    /// <summary>Builds the model of <paramref name="timeline"/>; an open fault window (no end) extends to the timeline's end.</summary>
    public static TimelineChartModel From(RunTimeline timeline, string title)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        double Seconds(DateTimeOffset at) => (at - timeline.Start).TotalSeconds;

        var count = timeline.Datacenters.Count;
        var lanes = timeline.Datacenters.Select((dc, i) => new ChartLane(dc, count - i))
            .Append(new ChartLane(WritesLane, 0))
            .ToList();
        var laneOf = lanes.ToDictionary(l => l.Label, l => l.Y, StringComparer.Ordinal);

        var bars = timeline.Datacenters
            .SelectMany(dc => timeline.Segments(dc).Select(s => new ChartBar(dc, s.Role, Seconds(s.From), Seconds(s.To), laneOf[dc])))
            .ToList();

        var end = Seconds(timeline.End);
        var windows = timeline.Faults.Select(f => new ChartWindow(
                f.Label,
                Seconds(f.Start),
                f.End is { } healed ? Seconds(healed) : end,
                // A fault outside the datacenters (the KMS) hits everything: every lane, writes included.
                f.Datacenters.Count == 0
                    ? [.. lanes.Select(l => l.Y)]
                    : [.. f.Datacenters.Where(laneOf.ContainsKey).Select(dc => laneOf[dc])]))
            .ToList();

        var marks = timeline.Writes.Select(w => new ChartMark(w.Outcome, Seconds(w.End), MarkOffset(w.Outcome))).ToList();
        var seconds = new[] { end }
            .Concat(bars.Select(b => b.To))
            .Concat(windows.Select(w => w.To))
            .Concat(marks.Select(m => m.X))
            .Max();
        return new TimelineChartModel(title, seconds, lanes, bars, windows, marks);
    }
}
