using FluentAssertions;
using MultiDcVault.Harness.Scenarios.Soak;
using Xunit;

namespace MultiDcVault.Harness.Tests.Scenarios;

public sealed class SoakScheduleTests
{
    private static readonly string[] Dcs = ["primary", "secondary", "tertiary"];

    [Fact]
    public void The_same_seed_gives_the_same_schedule_and_another_seed_another()
    {
        var a = SoakSchedule.Create(42, TimeSpan.FromMinutes(10), Dcs);
        var b = SoakSchedule.Create(42, TimeSpan.FromMinutes(10), Dcs);
        var c = SoakSchedule.Create(43, TimeSpan.FromMinutes(10), Dcs);

        SoakSchedule.Describe(a).Should().Be(SoakSchedule.Describe(b));
        a.SelectMany(e => e.Faults).Should().Equal(b.SelectMany(e => e.Faults));
        SoakSchedule.Describe(c).Should().NotBe(SoakSchedule.Describe(a));
    }

    [Fact]
    public void The_generator_is_splitmix64_so_a_printed_seed_replays_on_any_runtime()
    {
        // SplitMix64's published reference output for seed 0 (Steele, Lea and Flood, "Fast splittable pseudorandom
        // number generators", 2014; the constants of java.util.SplittableRandom): a changed algorithm would silently
        // break every seed a person wrote down.
        new SeededRandom(0).NextUInt64().Should().Be(0xE220A8397B1DCDAFUL);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(60)]
    public void Episodes_fit_the_duration_and_there_is_always_at_least_one(int minutes)
    {
        for (var seed = 0; seed < 200; seed++)
        {
            var schedule = SoakSchedule.Create(seed, TimeSpan.FromMinutes(minutes), Dcs);
            schedule.Should().NotBeEmpty();
            if (schedule.Count > 1)
            {
                schedule.Sum(e => e.Length.TotalSeconds).Should().BeLessThanOrEqualTo(minutes * 60);
            }

            schedule.Select(e => e.Number).Should().Equal(Enumerable.Range(1, schedule.Count));
        }
    }

    [Fact]
    public void Every_generated_overlap_obeys_the_rules_and_overlaps_do_happen()
    {
        var overlapping = 0;
        var kinds = new HashSet<SoakFaultKind>();
        for (var seed = 0; seed < 500; seed++)
        {
            foreach (var episode in SoakSchedule.Create(seed, TimeSpan.FromMinutes(10), Dcs))
            {
                episode.Faults.Should().HaveCountLessThanOrEqualTo(2);
                var first = episode.Faults[0];
                first.Start.Should().Be(episode.QuietBefore, "the primary fault starts after the quiet stretch");
                kinds.UnionWith(episode.Faults.Select(f => f.Kind));
                foreach (var fault in episode.Faults)
                {
                    (fault.Datacenter is null).Should().Be(fault.Kind is SoakFaultKind.Latency or SoakFaultKind.KmsOutage);
                    fault.Duration.Should().BePositive();
                    (fault.Delay is not null).Should().Be(fault.Kind == SoakFaultKind.Latency);
                }

                if (episode.Faults.Count == 2)
                {
                    var second = episode.Faults[1];
                    second.Start.Should().BeGreaterThanOrEqualTo(first.Start).And.BeLessThan(first.End, "the second fault starts inside the first one's window");
                    SoakSchedule.MayOverlap(first.Kind, second.Kind).Should().BeTrue($"{first.Describe()} with {second.Describe()} (seed {seed})");
                    overlapping++;
                }
            }
        }

        overlapping.Should().BeGreaterThan(100, "half the episodes should overlap a second fault");
        kinds.Should().BeEquivalentTo(Enum.GetValues<SoakFaultKind>(), "every fault kind is drawn");
    }

    [Theory]
    [InlineData("PodLoss", "Partition", false)]
    [InlineData("DatacenterPause", "Partition", false)]
    [InlineData("PodLoss", "DatacenterPause", false)]
    [InlineData("Latency", "Latency", false)]
    [InlineData("KmsOutage", "PodLoss", false)]
    [InlineData("PodLoss", "KmsOutage", false)]
    [InlineData("Latency", "DatacenterPause", false)]
    [InlineData("DatacenterPause", "Latency", false)]
    [InlineData("Partition", "Latency", true)]
    [InlineData("KmsOutage", "DatacenterPause", true)]
    [InlineData("Latency", "KmsOutage", true)]
    public void Overlap_rules(string a, string b, bool allowed) =>
        SoakSchedule.MayOverlap(Enum.Parse<SoakFaultKind>(a), Enum.Parse<SoakFaultKind>(b)).Should().Be(allowed);

    [Fact]
    public void Bad_input_is_refused()
    {
        ((Action)(() => SoakSchedule.Create(1, TimeSpan.Zero, Dcs))).Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => SoakSchedule.Create(1, TimeSpan.FromMinutes(1), []))).Should().Throw<ArgumentException>();
    }
}
