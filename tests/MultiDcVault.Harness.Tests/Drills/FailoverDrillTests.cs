using FluentAssertions;
using MultiDcVault.Harness.Drills;
using MultiDcVault.Harness.Faults;
using MultiDcVault.Harness.Health;
using MultiDcVault.Harness.Tests.TestSupport;
using MultiDcVault.Harness.Timeline;
using MultiDcVault.Harness.Verification;
using Xunit;

namespace MultiDcVault.Harness.Tests.Drills;

public sealed class FailoverDrillTests
{
    private static readonly FailoverDrillOptions Quick = new()
    {
        HealthyTimeout = TimeSpan.FromSeconds(10),
        WarmUp = TimeSpan.FromSeconds(2),
        NewLeaderTimeout = TimeSpan.FromSeconds(20),
        WritesAfterFailover = TimeSpan.FromSeconds(2),
        RecoveryTimeout = TimeSpan.FromSeconds(20),
        WritesAfterRecovery = TimeSpan.FromSeconds(1),
        PollInterval = TimeSpan.FromMilliseconds(500),
        DelayBetweenWrites = TimeSpan.FromMilliseconds(100),
        WriteTimeout = TimeSpan.FromSeconds(2),
        KeyPrefix = "drill-test",
    };

    private readonly FakeTimeProvider _time = new();
    private readonly List<(FailoverMode Mode, string Leader)> _faultsBuilt = [];

    [Fact]
    public async Task Drill_moves_leadership_measures_rto_heals_and_reads_every_acknowledged_write_back_through_every_datacenter()
    {
        var cluster = new FakeVaultCluster(_time);
        var fault = new ScriptedFault(
            "outage(primary)",
            inject: () => { cluster.TakeDown("primary"); cluster.Elect("secondary"); },
            heal: () => cluster.BringUp("primary"));

        var result = await RunAsync(cluster, fault, Quick with { Mode = FailoverMode.Pause });

        result.Passed.Should().BeTrue(result.Describe());
        _faultsBuilt.Should().Equal((FailoverMode.Pause, "primary"));
        fault.Calls.Should().Equal("inject", "heal");
        result.OldLeader.Should().Be("primary");
        result.NewLeader.Should().Be("secondary");
        result.Rto.Recovered.Should().BeTrue();
        result.Rto.FirstWriteThroughNewLeader!.ServedBy.Should().Be("secondary");
        result.Rto.FirstWriteThroughNewLeader.End.Should().BeOnOrAfter(result.FaultInjectedAt);
        result.HealedAt.Should().NotBeNull();
        result.Recovered.Should().BeTrue();
        result.OldLeaderRejoinedAsFollower.Should().BeTrue();
        result.Checks.Keys.Should().BeEquivalentTo("primary", "secondary", "tertiary");
        result.Checks.Values.Should().OnlyContain(c => c.Passed && c.Acknowledged > 0);
        result.Writers.Should().HaveCount(2).And.OnlyContain(w => w.Acknowledged > 0);

        // Writes span the fault: served by the old leader before it, by the new one after it.
        result.History.Should().Contain(r => r.IsAcknowledged && r.ServedBy == "primary" && r.End < result.FaultInjectedAt);
        result.History.Should().Contain(r => r.IsAcknowledged && r.ServedBy == "secondary" && r.Start > result.FaultInjectedAt);
        result.AutopilotSnapshots.Select(s => s.Label).Should().Equal("before fault", "during fault", "after recovery");
        result.ToFaultReport().Rto.Should().Be(result.Rto.Recovery);

        // The timeline: one lane per datacenter, the fault window over the old leader's lane, the writes as marks.
        var timeline = result.Timeline!;
        timeline.Should().NotBeNull();
        timeline.Datacenters.Should().Equal("primary", "secondary", "tertiary");
        timeline.Faults.Should().Equal(new FaultWindow("outage(primary)", timeline.Faults[0].Datacenters, result.FaultInjectedAt, result.HealedAt));
        timeline.Faults[0].Datacenters.Should().Equal("primary");
        timeline.Writes.Should().BeSameAs(result.History);
        timeline.Segments("primary").Select(s => s.Role).Should().Equal(NodeRole.Leader, NodeRole.Unreachable, NodeRole.Follower);
        timeline.Segments("primary")[1].From.Should().BeOnOrAfter(result.FaultInjectedAt);
        timeline.Segments("secondary").Select(s => s.Role).Should().Equal(NodeRole.Follower, NodeRole.Leader);
        timeline.Segments("tertiary").Select(s => s.Role).Should().Equal(NodeRole.Follower);
        timeline.Start.Should().BeBefore(result.FaultInjectedAt);
        timeline.End.Should().BeOnOrAfter(result.HealedAt!.Value);
    }

    [Fact]
    public async Task Each_writer_keeps_consecutive_counters_across_the_fault()
    {
        var cluster = new FakeVaultCluster(_time);
        var fault = new ScriptedFault("pod-loss", () => { cluster.TakeDown("primary"); cluster.Elect("tertiary"); }, () => cluster.BringUp("primary"));

        var result = await RunAsync(cluster, fault, Quick);

        foreach (var writer in result.History.GroupBy(r => r.WriterId))
        {
            var acknowledged = writer.Where(r => r.IsAcknowledged).OrderBy(r => r.Start).Select(r => r.Counter).ToList();
            acknowledged.Should().Equal(Enumerable.Range(1, acknowledged.Count).Select(i => (long)i), $"writer {writer.Key} advances only on acknowledgement");
        }

        // The leader-routed writer hits the vanished leader once, records it as indeterminate (not failed) and re-locates.
        result.History.Should().Contain(r => r.Outcome == WriteOutcomeKind.Indeterminate && r.Start >= result.FaultInjectedAt);
        result.Checks.Values.Should().OnlyContain(c => c.Lost.Count == 0 && c.Indeterminate > 0);
        result.Passed.Should().BeTrue(result.Describe());
    }

    [Fact]
    public async Task An_acknowledged_write_the_cluster_did_not_keep_fails_the_drill()
    {
        var cluster = new FakeVaultCluster(_time) { DropWritesServedBy = "secondary" };
        var fault = new ScriptedFault("outage(primary)", () => { cluster.TakeDown("primary"); cluster.Elect("secondary"); }, () => cluster.BringUp("primary"));

        var result = await RunAsync(cluster, fault, Quick);

        result.Passed.Should().BeFalse();
        result.Checks.Values.Should().OnlyContain(c => c.Lost.Count > 0);
        result.Checks["tertiary"].Lost.Should().OnlyContain(l => l.Write.ServedBy == "secondary");
        result.Problems.Should().Contain(p => p.Contains("acknowledged but lost", StringComparison.Ordinal));
        result.Writes.Lost.Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task No_new_leader_in_time_is_reported_and_the_fault_is_still_healed()
    {
        var cluster = new FakeVaultCluster(_time);
        var fault = new ScriptedFault("partition(primary)", () => { cluster.TakeDown("primary"); }, () => { cluster.BringUp("primary"); cluster.Elect("primary"); });

        var result = await RunAsync(cluster, fault, Quick with { Mode = FailoverMode.Partition });

        result.Passed.Should().BeFalse();
        result.NewLeader.Should().BeNull();
        result.Rto.Recovered.Should().BeFalse();
        fault.Calls.Should().Equal("inject", "heal");
        result.Problems.Should().Contain(p => p.StartsWith("No new leader after partition of primary", StringComparison.Ordinal) && p.Contains("secondary: standby", StringComparison.Ordinal));
        result.Problems.Should().Contain(p => p.Contains("took leadership back", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_heal_the_fault_stays_and_the_faulted_datacenter_is_not_read()
    {
        var cluster = new FakeVaultCluster(_time);
        var fault = new ScriptedFault("outage(primary)", () => { cluster.TakeDown("primary"); cluster.Elect("secondary"); }, () => cluster.BringUp("primary"));

        var result = await RunAsync(cluster, fault, Quick with { Heal = false });

        fault.Calls.Should().Equal("inject");
        result.HealedAt.Should().BeNull();
        result.Recovered.Should().BeFalse();
        result.Checks.Keys.Should().BeEquivalentTo("secondary", "tertiary");
        result.Passed.Should().BeTrue(result.Describe());
        cluster.Leader.Should().Be("secondary");
        var window = result.Timeline!.Faults.Should().ContainSingle().Subject;
        (window.Label, window.Start, window.End).Should().Be(("outage(primary)", result.FaultInjectedAt, (DateTimeOffset?)null), "a fault left in place is an open window");
        result.Timeline.Segments("primary")[^1].Role.Should().Be(NodeRole.Unreachable);
    }

    [Fact]
    public async Task An_unhealthy_cluster_is_never_faulted()
    {
        var cluster = new FakeVaultCluster(_time);
        cluster.TakeDown("tertiary");
        var fault = new ScriptedFault("outage(primary)", () => cluster.TakeDown("primary"), () => cluster.BringUp("primary"));

        var act = () => RunAsync(cluster, fault, Quick);

        (await act.Should().ThrowAsync<TimeoutException>()).Which.Message.Should().Contain("healthy cluster").And.Contain("tertiary");
        fault.Calls.Should().BeEmpty();
        _faultsBuilt.Should().BeEmpty();
    }

    [Fact]
    public async Task Writes_through_a_standby_are_attributed_to_the_active_node_not_the_entry_datacenter()
    {
        var cluster = new FakeVaultCluster(_time);
        var router = new DrillWriteRouter(cluster, new RaftObserver(cluster, _time), ["primary", "secondary", "tertiary"], "primary");

        var throughStandby = await router.CreateWriter(WriteRouting.AnyDatacenter, 1)(new WriteRequest("w", "k", 1), CancellationToken.None);
        var throughLeader = await router.CreateWriter(WriteRouting.Leader, 0)(new WriteRequest("w", "k", 2), CancellationToken.None);

        throughStandby.Should().Be(WriteOutcome.Acknowledged("primary", "through tertiary"));
        throughLeader.Should().Be(WriteOutcome.Acknowledged("primary", "through primary"));
        cluster.AppliedWrites.Select(w => (w.EnteredThrough, w.ServedBy)).Should().Equal(("tertiary", "primary"), ("primary", "primary"));
    }

    [Fact]
    public async Task A_writer_routed_to_any_datacenter_moves_on_after_a_refused_write()
    {
        var cluster = new FakeVaultCluster(_time);
        var router = new DrillWriteRouter(cluster, new RaftObserver(cluster, _time), ["primary", "secondary", "tertiary"], "primary");
        var write = router.CreateWriter(WriteRouting.AnyDatacenter, 0);
        cluster.TakeDown("primary");

        var refused = await write(new WriteRequest("w", "k", 1), CancellationToken.None);
        cluster.Elect("tertiary");
        var accepted = await write(new WriteRequest("w", "k", 1), CancellationToken.None);

        refused.Kind.Should().Be(WriteOutcomeKind.Indeterminate, "a 500 from a standby without an active node may or may not have been applied");
        refused.Detail.Should().Contain("through secondary");
        accepted.Should().Be(WriteOutcome.Acknowledged("tertiary", "through tertiary"));
    }

    [Fact]
    public async Task During_a_partition_the_cut_off_old_leader_reads_as_unreachable_partitioned_not_as_a_connection_error()
    {
        var cluster = new FakeVaultCluster(_time);
        var fault = new ScriptedFault(
            "partition(primary)",
            inject: () => { cluster.TakeDown("primary"); cluster.Elect("secondary"); },
            heal: () => cluster.BringUp("primary"));
        var progress = new List<string>();

        var result = await RunAsync(cluster, fault, Quick with { Mode = FailoverMode.Partition }, new ListProgress(progress));

        result.Passed.Should().BeTrue(result.Describe());
        var during = progress.Should().ContainSingle(l => l.StartsWith("During the fault", StringComparison.Ordinal)).Subject;
        during.Should().Contain("primary: unreachable (partitioned, as injected)").And.NotContain("does not answer");
        result.FaultMechanism.Should().Be("scripted partition(primary)");
    }

    [Fact]
    public async Task A_pod_loss_drill_reports_the_delete_as_its_mechanism_and_how_long_the_pod_was_gone()
    {
        var cluster = new FakeVaultCluster(_time);
        var pods = new PodsOfCluster(cluster, _time, recreateAfter: TimeSpan.FromSeconds(4), readyAfter: TimeSpan.FromSeconds(15));
        var fault = new LeaderPodLossFault(pods, FaultTopologies.ThreeDatacenters(), "primary", "default", _time, TimeSpan.FromMilliseconds(500));

        var result = await RunAsync(cluster, fault, Quick with { Mode = FailoverMode.PodLoss });

        result.Passed.Should().BeTrue(result.Describe());
        result.FaultMechanism.Should().Be("delete pod vault-primary-0 through the Kubernetes API (graceful; the StatefulSet controller recreates it)");
        result.PodLoss!.GoneFor.Should().BeCloseTo(TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(1));
        var report = result.ToFaultReport();
        report.Mechanism.Should().Be(result.FaultMechanism);
        report.PodGoneFor.Should().Be(result.PodLoss.GoneFor);
        result.Describe().Should().Contain("Fault made by: delete pod vault-primary-0 through the Kubernetes API").And.Contain("Pod vault-primary-0 gone for");
    }

    [Fact]
    public async Task The_expected_unreachable_mark_applies_only_to_its_datacenter_and_is_cleared()
    {
        var cluster = new FakeVaultCluster(_time);
        cluster.TakeDown("primary");
        cluster.TakeDown("tertiary");
        var observer = new RaftObserver(cluster, _time);

        observer.ExpectUnreachable("primary", "partitioned");
        var marked = RaftObserver.Describe((await observer.ObserveAsync(CancellationToken.None)).Observations);
        observer.ClearExpectedUnreachable();
        var cleared = RaftObserver.Describe((await observer.ObserveAsync(CancellationToken.None)).Observations);

        marked.Should().Contain("primary: unreachable (partitioned, as injected)").And.Contain("tertiary: unreachable (tertiary does not answer)");
        cleared.Should().Contain("primary: unreachable (primary does not answer)").And.NotContain("as injected");
    }

    private Task<FailoverDrillResult> RunAsync(FakeVaultCluster cluster, IFault fault, FailoverDrillOptions options, IProgress<string>? progress = null)
    {
        var drill = new FailoverDrill(
            cluster,
            cluster,
            (mode, leader) =>
            {
                _faultsBuilt.Add((mode, leader));
                return fault;
            },
            options,
            _time);
        return FakeClock.RunAsync(_time, () => drill.RunAsync(progress, CancellationToken.None));
    }

    /// <summary>The leader's pod in a <see cref="FakeVaultCluster"/>: deleting it takes the node down; it comes back, then Ready, after set times.</summary>
    private sealed class PodsOfCluster(FakeVaultCluster cluster, FakeTimeProvider time, TimeSpan recreateAfter, TimeSpan readyAfter) : IVaultPods
    {
        private DateTimeOffset? _deletedAt;

        public Task<VaultPodState?> GetAsync(string clusterName, string @namespace, string pod, CancellationToken cancellationToken)
        {
            if (_deletedAt is not { } deleted)
            {
                return Task.FromResult<VaultPodState?>(new VaultPodState("uid-1", true, false));
            }

            var since = time.GetUtcNow() - deleted;
            if (since >= readyAfter)
            {
                cluster.BringUp(clusterName);
            }

            return Task.FromResult(since < recreateAfter ? null : new VaultPodState("uid-2", since >= readyAfter, false));
        }

        public Task DeleteAsync(string clusterName, string @namespace, string pod, CancellationToken cancellationToken)
        {
            _deletedAt = time.GetUtcNow();
            cluster.TakeDown(clusterName);
            cluster.Elect("secondary");
            return Task.CompletedTask;
        }
    }
}
