using MultiDcVault.Harness.Verification;

namespace MultiDcVault.Harness.Timeline;

/// <summary>
/// What a drill or scenario saw over time: every datacenter's role samples, the fault windows and the write attempts.
/// The report draws it (one lane per datacenter) and the scenarios' assertions read the same data, so the picture
/// and the verdict cannot disagree.
/// </summary>
/// <param name="Datacenters">Lane order: the environment's datacenters in plan order.</param>
/// <param name="Start">Left edge: when recording started.</param>
/// <param name="End">Right edge: when recording stopped.</param>
public sealed record RunTimeline(
    IReadOnlyList<string> Datacenters,
    DateTimeOffset Start,
    DateTimeOffset End,
    IReadOnlyList<RoleSample> Roles,
    IReadOnlyList<FaultWindow> Faults,
    IReadOnlyList<WriteRecord> Writes)
{
    /// <summary>The role samples of one datacenter merged into segments, in time order; the last ends at <see cref="End"/>.</summary>
    public IReadOnlyList<RoleSegment> Segments(string datacenter)
    {
        var samples = Roles.Where(r => r.Datacenter == datacenter).OrderBy(r => r.At).ToList();
        var segments = new List<RoleSegment>();
        for (var i = 0; i < samples.Count; i++)
        {
            if (i > 0 && samples[i].Role == samples[i - 1].Role)
            {
                continue;
            }

            var next = samples.Skip(i + 1).FirstOrDefault(s => s.Role != samples[i].Role);
            var to = next?.At ?? (End > samples[i].At ? End : samples[i].At);
            segments.Add(new RoleSegment(datacenter, samples[i].Role, samples[i].At, to));
        }

        return segments;
    }

    /// <summary>
    /// Stretches in which no datacenter was a leader, taken over sampling rounds: a round is the samples sharing one
    /// timestamp; a stretch runs from the first round without a leader to the next round with one (or the end).
    /// </summary>
    public IReadOnlyList<(DateTimeOffset From, DateTimeOffset To)> WithoutLeader()
    {
        var rounds = Roles.GroupBy(r => r.At).OrderBy(g => g.Key).Select(g => (At: g.Key, HasLeader: g.Any(r => r.Role == NodeRole.Leader))).ToList();
        var stretches = new List<(DateTimeOffset, DateTimeOffset)>();
        DateTimeOffset? from = null;
        foreach (var round in rounds)
        {
            if (!round.HasLeader && from is null)
            {
                from = round.At;
            }
            else if (round.HasLeader && from is { } start)
            {
                stretches.Add((start, round.At));
                from = null;
            }
        }

        if (from is { } open)
        {
            stretches.Add((open, End > open ? End : open));
        }

        return stretches;
    }

    /// <summary>The total of <see cref="WithoutLeader"/>: how long the cluster had no leader, to the sampling interval.</summary>
    public TimeSpan TimeWithoutLeader => WithoutLeader().Aggregate(TimeSpan.Zero, (sum, s) => sum + (s.To - s.From));
}
