using FluentAssertions;
using MultiDcVault.Harness.Scenarios;
using MultiDcVault.Harness.Scenarios.QuorumLoss;
using MultiDcVault.Harness.Tests.TestSupport;
using MultiDcVault.Harness.Timeline;
using MultiDcVault.Harness.Verification;
using Xunit;

namespace MultiDcVault.Harness.Tests.Scenarios;

public sealed class QuorumLossScenarioTests
{
    internal static readonly ScenarioTiming Quick = new()
    {
        HealthyTimeout = TimeSpan.FromSeconds(10),
        WarmUp = TimeSpan.FromSeconds(2),
        QuorumLossHold = TimeSpan.FromSeconds(10),
        RecoveryBound = TimeSpan.FromSeconds(20),
        PowerOnBound = TimeSpan.FromSeconds(30),
        WritesAfterRecovery = TimeSpan.FromSeconds(2),
        WriteTimeout = TimeSpan.FromSeconds(2),
        DelayBetweenWrites = TimeSpan.FromMilliseconds(200),
        PollInterval = TimeSpan.FromMilliseconds(500),
        SampleInterval = TimeSpan.FromMilliseconds(500),
    };

    private readonly FakeTimeProvider _time = new();

    [Theory]
    [InlineData("pause")]
    [InlineData("partition")]
    public async Task A_cluster_that_loses_quorum_refuses_writes_recovers_and_keeps_every_acknowledged_write(string variant)
    {
        var cluster = new FakeVaultCluster(_time);
        var faults = new ScriptedScenarioFaults(cluster, _time);

        var result = await RunAsync(cluster, faults, new ScenarioRequest(QuorumLossScenario.ScenarioName, variant));

        result.Passed.Should().BeTrue(result.Describe());
        var word = variant == "pause" ? "outage" : "partition";
        faults.Calls.Select(c => c.Call).Should().Equal(
            $"inject {word}(secondary)", $"inject {word}(tertiary)", $"heal {word}(tertiary)", $"heal {word}(secondary)");
        result.Checks.Keys.Should().BeEquivalentTo("primary", "secondary", "tertiary");
        result.Workload.Writes.Should().Contain(w => w.IsAcknowledged && w.End < faults.Calls[0].At, "writes ran before the loss");
        result.Workload.Writes.Should().Contain(w => !w.IsAcknowledged && w.Start > faults.Calls[1].At && w.End < faults.Calls[2].At, "writes were refused during the loss");
        result.Workload.Writes.Should().Contain(w => w.IsAcknowledged && w.Start > faults.Calls[3].At, "writes ran after the heal");
        result.Workload.Reads.Should().Contain(r => r.Succeeded);
        result.Measurements.Should().Contain(m => m.StartsWith("time without a leader: ", StringComparison.Ordinal) && !m.StartsWith("time without a leader: 0 ms", StringComparison.Ordinal));
        result.Measurements.Should().Contain(m => m.StartsWith("while quorum was lost", StringComparison.Ordinal) && m.EndsWith(", 0 acknowledged", StringComparison.Ordinal));
        result.Timeline!.Faults.Should().ContainSingle().Which.Datacenters.Should().Equal("secondary", "tertiary");
        result.Timeline.Segments("secondary").Select(s => s.Role).Should().Contain(NodeRole.Unreachable);
        result.Timeline.TimeWithoutLeader.Should().BeGreaterThan(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_lone_leader_that_keeps_acknowledging_writes_without_quorum_fails_the_scenario()
    {
        var cluster = new FakeVaultCluster(_time);
        var faults = new ScriptedScenarioFaults(cluster, _time) { LeaderIgnoresQuorum = true };

        var result = await RunAsync(cluster, faults, new ScenarioRequest(QuorumLossScenario.ScenarioName, "pause"));

        result.Passed.Should().BeFalse();
        result.Problems.Should().Contain(p => p.Contains("writes were acknowledged while quorum was lost", StringComparison.Ordinal) && p.Contains("by 'primary'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_acknowledged_write_the_cluster_did_not_keep_fails_the_scenario()
    {
        var cluster = new FakeVaultCluster(_time) { DropWritesServedBy = "primary" };
        var faults = new ScriptedScenarioFaults(cluster, _time);

        var result = await RunAsync(cluster, faults, new ScenarioRequest(QuorumLossScenario.ScenarioName, "partition"));

        result.Passed.Should().BeFalse();
        result.Problems.Should().Contain(p => p.Contains("acknowledged but lost", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_no_heal_the_majority_stays_away_and_nothing_is_read_back()
    {
        var cluster = new FakeVaultCluster(_time);
        var faults = new ScriptedScenarioFaults(cluster, _time);

        var result = await RunAsync(cluster, faults, new ScenarioRequest(QuorumLossScenario.ScenarioName, "pause", Heal: false));

        faults.Calls.Select(c => c.Call).Should().Equal("inject outage(secondary)", "inject outage(tertiary)");
        result.Checks.Should().BeEmpty();
        result.Measurements.Should().Contain(m => m.Contains("--no-heal", StringComparison.Ordinal));
        result.Timeline!.Faults.Single().End.Should().BeNull("the fault is still in place");
        cluster.Leader.Should().BeNull();
    }

    [Fact]
    public async Task A_cluster_that_does_not_recover_in_time_is_reported_not_hung()
    {
        var cluster = new FakeVaultCluster(_time);
        var faults = new ScriptedScenarioFaults(cluster, _time);
        var context = new ScenarioContext(cluster, cluster, new NeverHealing(faults, cluster), _time, Quick);

        var results = await FakeClock.RunAsync(_time, () => ScenarioRunner.RunAsync(context, new ScenarioRequest(QuorumLossScenario.ScenarioName, "pause"), null, CancellationToken.None));

        results.Single().Problems.Should().Contain(p => p.StartsWith("The cluster was not healthy within 20.0 s after the heal", StringComparison.Ordinal));
    }

    private async Task<ScenarioResult> RunAsync(FakeVaultCluster cluster, ScriptedScenarioFaults faults, ScenarioRequest request)
    {
        var context = new ScenarioContext(cluster, cluster, faults, _time, Quick);
        var results = await FakeClock.RunAsync(_time, () => ScenarioRunner.RunAsync(context, request, null, CancellationToken.None));
        return results.Should().ContainSingle().Subject;
    }

    /// <summary>Faults whose heal leaves one datacenter down: the cluster never becomes healthy again.</summary>
    private sealed class NeverHealing(ScriptedScenarioFaults inner, FakeVaultCluster cluster) : IScenarioFaults
    {
        public Harness.Faults.IFault Partition(string datacenter) => inner.Partition(datacenter);

        public Harness.Faults.IFault Outage(string datacenter) =>
            new ScriptedFault($"outage({datacenter})", () => cluster.TakeDown(datacenter), () => { if (datacenter != "tertiary") { cluster.BringUp(datacenter); } });

        public Harness.Faults.IFault PodLoss(string datacenter) => inner.PodLoss(datacenter);

        public Harness.Faults.IFault Latency(TimeSpan delay, TimeSpan jitter) => inner.Latency(delay, jitter);

        public Harness.Faults.IFault KmsOutage() => inner.KmsOutage();

        public Harness.Faults.IPowerCycle PowerCycle() => inner.PowerCycle();

        public void NodeAddressesMoved(IReadOnlyList<Harness.Faults.NodeAddressDrift> moved) => inner.NodeAddressesMoved(moved);

        public Task<bool> VaultRunningAsync(string datacenter, CancellationToken cancellationToken) => inner.VaultRunningAsync(datacenter, cancellationToken);
    }
}
