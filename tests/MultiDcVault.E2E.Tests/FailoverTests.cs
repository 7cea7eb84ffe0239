using FluentAssertions;
using MultiDcVault.Fixtures;
using MultiDcVault.Harness.Drills;
using Xunit;

namespace MultiDcVault.E2E.Tests;

/// <summary>Leader loss three ways, each a full <see cref="FailoverDrill"/>: fault, new leader, writes across it, heal, read back.</summary>
[Trait("Category", "E2E")]
public sealed class FailoverTests(MultiDcEnvironmentFixture fixture) : E2ETestBase(fixture)
{
    protected override bool MovesLeadership => true;

    [Fact]
    public async Task Losing_the_leader_pod_elects_a_leader_in_another_datacenter_without_losing_acknowledged_writes()
    {
        var result = await RunDrillAsync(FailoverMode.PodLoss);
        AssertFailoverKeptEveryAcknowledgedWrite(result);
    }

    [Fact]
    public async Task An_outage_of_the_leader_datacenter_elects_a_new_leader_without_losing_acknowledged_writes()
    {
        var result = await RunDrillAsync(FailoverMode.Pause);
        AssertFailoverKeptEveryAcknowledgedWrite(result);
    }

    [Fact]
    public async Task Partitioning_the_leader_datacenter_lets_the_majority_take_writes_without_split_brain()
    {
        var result = await RunDrillAsync(FailoverMode.Partition);
        AssertFailoverKeptEveryAcknowledgedWrite(result);

        // The majority side accepted writes while the partition was in place.
        result.History.Should().Contain(
            r => r.IsAcknowledged && r.ServedBy != null && r.ServedBy != result.OldLeader && r.Start > result.FaultInjectedAt && r.End < result.HealedAt,
            "the majority elects a leader and accepts writes during the partition");
        result.Checks.Values.Should().OnlyContain(c => c.SplitBrain.Count == 0, "no two nodes acknowledged writes as leader at the same time");
    }

    private async Task<FailoverDrillResult> RunDrillAsync(FailoverMode mode)
    {
        await StartAsync();
        using var drill = await FailoverDrill.ForEnvironmentAsync(Env, new FailoverDrillOptions { Mode = mode }, Ct);
        var result = await drill.RunAsync(OutputProgress, Ct);
        Fixture.Recorder.Drill(TestName, result);
        Output.WriteLine(result.Describe());
        return result;
    }

    private void AssertFailoverKeptEveryAcknowledgedWrite(FailoverDrillResult result)
    {
        var report = result.Describe();
        result.NewLeader.Should().NotBeNull(report).And.NotBe(result.OldLeader, "leadership moves to another datacenter");
        result.Rto.Recovered.Should().BeTrue(result.Rto.FailureText ?? report);
        Output.WriteLine($"RTO ({result.Fault}): {result.Rto.Recovery!.Value.TotalSeconds:0.0} s");

        // Two writers, each with consecutive counters, writing before, during and after the fault.
        result.Writers.Should().HaveCount(2).And.OnlyContain(w => w.Acknowledged > 0, report);
        foreach (var writer in result.History.GroupBy(r => r.WriterId))
        {
            var counters = writer.Where(r => r.IsAcknowledged).OrderBy(r => r.Start).Select(r => r.Counter).ToList();
            counters.Should().Equal(Enumerable.Range(1, counters.Count).Select(i => (long)i), $"writer {writer.Key} advances only on acknowledgement");
        }

        result.History.Should().Contain(r => r.IsAcknowledged && r.End < result.FaultInjectedAt, "writes ran before the fault");
        result.History.Should().Contain(r => r.IsAcknowledged && r.Start > result.HealedAt, "writes ran after the heal");

        // Every acknowledged write is readable through every datacenter; indeterminate writes are reported, not failed.
        result.Checks.Keys.Should().BeEquivalentTo(Env.Datacenters.Select(d => d.Name));
        result.Checks.Values.Should().OnlyContain(c => c.Passed, report);
        Output.WriteLine($"Indeterminate writes (reported, not failures): {result.Writes.Indeterminate}");

        result.Recovered.Should().BeTrue(report);
        result.OldLeaderRejoinedAsFollower.Should().BeTrue(report);
        result.AutopilotSnapshots.Select(s => s.Label).Should().Contain("after recovery");
        result.Passed.Should().BeTrue(report);
    }
}
