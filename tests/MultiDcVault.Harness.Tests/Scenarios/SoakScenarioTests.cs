using FluentAssertions;
using MultiDcVault.Harness.Scenarios;
using MultiDcVault.Harness.Scenarios.Soak;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Scenarios;

public sealed class SoakScenarioTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task The_soak_prints_its_seed_first_and_injects_and_heals_exactly_the_seeded_schedule()
    {
        var cluster = new FakeVaultCluster(_time);
        var faults = new ScriptedScenarioFaults(cluster, _time);
        var progress = new List<string>();
        var request = new ScenarioRequest(SoakScenario.ScenarioName, Seed: 7, Duration: TimeSpan.FromMinutes(2));

        var result = await RunAsync(cluster, faults, request, progress);

        result.Passed.Should().BeTrue(result.Describe());
        result.Seed.Should().Be(7);
        progress[1].Should().StartWith("Soak seed 7 (2 min, ").And.EndWith("replay with --seed 7.");
        var schedule = SoakSchedule.Create(7, TimeSpan.FromMinutes(2), ["primary", "secondary", "tertiary"]);
        faults.Calls.Select(c => c.Call).Should().Equal(ExpectedCalls(schedule), "the run follows the schedule the seed gives");
        result.Timeline!.Faults.Should().HaveCount(schedule.Sum(e => e.Faults.Count));
        result.Checks.Keys.Should().BeEquivalentTo("primary", "secondary", "tertiary");
        result.Measurements.Should().Contain(m => m.StartsWith("healthy again", StringComparison.Ordinal) && m.Contains("after episode 1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_loss_is_caught_after_the_episode_in_which_it_happened()
    {
        var cluster = new FakeVaultCluster(_time) { DropWritesServedBy = "secondary" };
        var faults = new ScriptedScenarioFaults(cluster, _time);

        // Seed 3's first episode takes a datacenter away or loses a pod, so some writes go through another leader.
        var schedule = SoakSchedule.Create(3, TimeSpan.FromMinutes(3), ["primary", "secondary", "tertiary"]);
        var result = await RunAsync(cluster, faults, new ScenarioRequest(SoakScenario.ScenarioName, Seed: 3, Duration: TimeSpan.FromMinutes(3)), []);

        result.Passed.Should().BeFalse();
        result.Problems.Should().Contain(p => p.StartsWith("After episode ", StringComparison.Ordinal) && p.Contains("acknowledged but lost", StringComparison.Ordinal),
            SoakSchedule.Describe(schedule));
    }

    private static IEnumerable<string> ExpectedCalls(IReadOnlyList<SoakEpisode> schedule)
    {
        foreach (var episode in schedule)
        {
            var events = episode.Faults
                .SelectMany(f => new[] { (At: f.Start, Inject: true, Fault: f), (At: f.End, Inject: false, Fault: f) })
                .OrderBy(e => e.At).ThenBy(e => e.Inject);
            foreach (var (_, inject, fault) in events)
            {
                yield return (inject ? "inject " : "heal ") + Scripted(fault);
            }
        }
    }

    private static string Scripted(SoakFault fault) => fault.Kind switch
    {
        SoakFaultKind.PodLoss => $"pod-loss({fault.Datacenter})",
        SoakFaultKind.DatacenterPause => $"outage({fault.Datacenter})",
        SoakFaultKind.Partition => $"partition({fault.Datacenter})",
        SoakFaultKind.Latency => $"latency({fault.Delay!.Value.TotalMilliseconds:0} ms)",
        _ => "kms-outage",
    };

    private async Task<ScenarioResult> RunAsync(FakeVaultCluster cluster, ScriptedScenarioFaults faults, ScenarioRequest request, List<string> progress)
    {
        var context = new ScenarioContext(cluster, cluster, faults, _time, QuorumLossScenarioTests.Quick);
        var results = await FakeClock.RunAsync(_time, () => ScenarioRunner.RunAsync(context, request, new ListProgress(progress), CancellationToken.None), TimeSpan.FromMilliseconds(250));
        return results.Should().ContainSingle().Subject;
    }
}
