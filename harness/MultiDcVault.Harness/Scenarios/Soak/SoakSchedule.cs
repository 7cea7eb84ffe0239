using System.Globalization;
using System.Text;

namespace MultiDcVault.Harness.Scenarios.Soak;

/// <summary>The faults a soak draws from (the catalogue's kinds, plus the KMS outage).</summary>
internal enum SoakFaultKind
{
    PodLoss,
    DatacenterPause,
    Partition,
    Latency,
    KmsOutage,
}

/// <summary>One fault of a soak, relative to the start of its episode.</summary>
/// <param name="Datacenter">The datacenter hit; null for faults of the whole environment (latency on every node, the KMS).</param>
/// <param name="Delay">Latency only: the one-way delay added on every node (jitter is a tenth of it).</param>
internal sealed record SoakFault(SoakFaultKind Kind, string? Datacenter, TimeSpan Start, TimeSpan Duration, TimeSpan? Delay = null)
{
    public TimeSpan End => Start + Duration;

    public string Describe() => Kind switch
    {
        SoakFaultKind.PodLoss => $"pod-loss({Datacenter})",
        SoakFaultKind.DatacenterPause => $"outage({Datacenter})",
        SoakFaultKind.Partition => $"partition({Datacenter})",
        SoakFaultKind.Latency => string.Create(CultureInfo.InvariantCulture, $"latency({Delay?.TotalMilliseconds:0} ms, all)"),
        _ => "kms-outage",
    };
}

/// <summary>
/// Faults that run together, then a full heal and a check. Episodes run one after another: each waits for the
/// cluster to be healthy before it starts, so the schedule fixes what happens, and recovery only stretches the wall time.
/// </summary>
/// <param name="QuietBefore">Writes without faults before the episode's first fault.</param>
internal sealed record SoakEpisode(int Number, TimeSpan QuietBefore, IReadOnlyList<SoakFault> Faults)
{
    /// <summary>From the episode's start to its last heal.</summary>
    public TimeSpan Length => Faults.Max(f => f.End);
}

/// <summary>
/// A seeded random schedule of faults for the soak. The same seed, duration and datacenters give the same schedule.
/// <para>Overlap rules (why each exists):</para>
/// <list type="bullet">
/// <item>At most one datacenter is away at a time (pod loss, pause or partition never overlap each other): two away
/// of three is quorum loss, which is its own scenario; the soak checks that a majority keeps serving.</item>
/// <item>Latency overlaps anything but latency and a paused datacenter: one netem qdisc per interface, and its inject and
/// heal exec into every node, which Docker refuses for a paused container (moby: "Container ... is paused, unpause the
/// container before exec").</item>
/// <item>A KMS outage overlaps anything but a pod loss: a pod restarted while the KMS is away stays sealed, and its
/// return then backs off (CrashLoopBackOff) for minutes, which would make "health restored within a bound" a lie.</item>
/// </list>
/// </summary>
internal static class SoakSchedule
{
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromMinutes(10);

    private static readonly SoakFaultKind[] Kinds = Enum.GetValues<SoakFaultKind>();

    /// <summary>Episodes whose planned lengths add up to at most <paramref name="duration"/> (at least one episode).</summary>
    public static IReadOnlyList<SoakEpisode> Create(long seed, TimeSpan duration, IReadOnlyList<string> datacenters)
    {
        ArgumentNullException.ThrowIfNull(datacenters);
        if (datacenters.Count == 0)
        {
            throw new ArgumentException("A soak needs at least one datacenter.", nameof(datacenters));
        }

        if (duration <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "A soak needs a positive duration.");
        }

        var random = new SeededRandom(seed);
        var episodes = new List<SoakEpisode>();
        var planned = TimeSpan.Zero;
        while (true)
        {
            var episode = NextEpisode(random, episodes.Count + 1, datacenters);
            if (episodes.Count > 0 && planned + episode.Length > duration)
            {
                return episodes;
            }

            episodes.Add(episode);
            planned += episode.Length;
        }
    }

    /// <summary>True when the two faults may be in place at the same time (the rules above).</summary>
    public static bool MayOverlap(SoakFaultKind a, SoakFaultKind b)
    {
        static bool Away(SoakFaultKind k) => k is SoakFaultKind.PodLoss or SoakFaultKind.DatacenterPause or SoakFaultKind.Partition;
        if (a == b)
        {
            return false;
        }

        if (Away(a) && Away(b))
        {
            return false;
        }

        bool Pair(SoakFaultKind x, SoakFaultKind y) => (a == x && b == y) || (a == y && b == x);
        return !Pair(SoakFaultKind.KmsOutage, SoakFaultKind.PodLoss) && !Pair(SoakFaultKind.Latency, SoakFaultKind.DatacenterPause);
    }

    /// <summary>One line per episode and fault, for the console and the report (the schedule a seed replays).</summary>
    public static string Describe(IReadOnlyList<SoakEpisode> episodes)
    {
        ArgumentNullException.ThrowIfNull(episodes);
        var text = new StringBuilder();
        foreach (var episode in episodes)
        {
            text.Append(CultureInfo.InvariantCulture, $"episode {episode.Number}: quiet {episode.QuietBefore.TotalSeconds:0} s, then ");
            text.AppendJoin(" + ", episode.Faults.Select(f =>
                string.Create(CultureInfo.InvariantCulture, $"{f.Describe()} at +{f.Start.TotalSeconds:0} s for {f.Duration.TotalSeconds:0} s")));
            text.Append('\n');
        }

        return text.ToString().TrimEnd('\n');
    }

    private static SoakEpisode NextEpisode(SeededRandom random, int number, IReadOnlyList<string> datacenters)
    {
        var quiet = random.Seconds(5, 20);
        var primary = Fault(random, Kinds[random.Next(Kinds.Length)], datacenters, TimeSpan.Zero, random.Seconds(15, 45));
        var faults = new List<SoakFault> { primary };

        // Half the episodes overlap a second fault, starting inside the first one's window.
        var partners = Kinds.Where(k => MayOverlap(primary.Kind, k)).ToList();
        if (partners.Count > 0 && random.Chance(50))
        {
            var kind = partners[random.Next(partners.Count)];
            var start = random.Seconds(0, (int)primary.Duration.TotalSeconds - 1);
            faults.Add(Fault(random, kind, datacenters, start, random.Seconds(5, 30)));
        }

        // Relative to the episode's start, after its quiet stretch.
        return new SoakEpisode(number, quiet, [.. faults.Select(f => f with { Start = quiet + f.Start })]);
    }

    private static SoakFault Fault(SeededRandom random, SoakFaultKind kind, IReadOnlyList<string> datacenters, TimeSpan start, TimeSpan duration)
    {
        var datacenter = kind is SoakFaultKind.Latency or SoakFaultKind.KmsOutage ? null : datacenters[random.Next(datacenters.Count)];
        var delay = kind == SoakFaultKind.Latency ? TimeSpan.FromMilliseconds(20 + random.Next(131)) : (TimeSpan?)null;
        return new SoakFault(kind, datacenter, start, duration, delay);
    }
}
