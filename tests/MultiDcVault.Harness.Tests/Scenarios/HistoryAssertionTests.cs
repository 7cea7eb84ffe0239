using FluentAssertions;
using MultiDcVault.Harness.Timeline;
using MultiDcVault.Harness.Verification;
using Xunit;

namespace MultiDcVault.Harness.Tests.Scenarios;

/// <summary>The scenarios' assertions on recorded histories, including histories that must fail each of them.</summary>
public sealed class HistoryAssertionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset At(double seconds) => T0.AddSeconds(seconds);

    private static WriteRecord Write(long counter, double start, double end, WriteOutcomeKind outcome = WriteOutcomeKind.Acknowledged, string key = "k", string? by = "primary") =>
        new("w1", key, counter, At(start), At(end), outcome, outcome == WriteOutcomeKind.Acknowledged ? by : null, "test");

    private static ReadRecord Read(double start, double end, long? value, bool succeeded = true, string key = "k") =>
        new(key, At(start), At(end), value, succeeded, "secondary");

    [Fact]
    public void A_read_that_started_after_an_acknowledged_write_and_returned_less_is_stale()
    {
        var writes = new[] { Write(1, 0, 1), Write(2, 2, 3) };
        var reads = new[] { Read(4, 5, 1) };

        var stale = StaleReadChecker.Check(writes, reads);

        stale.Should().ContainSingle().Which.NewerWrite.Counter.Should().Be(2);
        stale[0].Describe().Should().Contain("returned 1").And.Contain("k=2");
    }

    [Fact]
    public void A_read_of_a_missing_key_after_an_acknowledged_write_is_stale()
    {
        StaleReadChecker.Check([Write(1, 0, 1)], [Read(2, 3, null)]).Should().ContainSingle();
    }

    [Fact]
    public void Reads_overlapping_the_acknowledgement_failed_reads_and_other_keys_prove_nothing()
    {
        var writes = new[] { Write(1, 0, 1), Write(2, 2, 4), Write(1, 0, 1, WriteOutcomeKind.Indeterminate, key: "other") };
        var reads = new[]
        {
            Read(3, 5, 1),                       // overlaps the write of 2: either value is fine
            Read(5, 6, null, succeeded: false),  // no answer
            Read(5, 6, 2),                       // up to date
            Read(5, 6, 7),                       // newer than anything acknowledged: not stale (unexplained values are the history check's job)
            Read(5, 6, null, key: "other"),      // only an indeterminate write there
        };

        StaleReadChecker.Check(writes, reads).Should().BeEmpty();
    }

    [Fact]
    public void Reads_sent_to_a_paused_or_partitioned_datacenter_until_shortly_after_the_heal_are_not_judged_and_others_still_are()
    {
        var writes = new[] { Write(1, 0, 1), Write(2, 2, 3) };
        var reads = new[]
        {
            Read(4, 5, 1),                                                // through secondary, inside the window
            Read(11, 12, 1),                                              // through secondary, within the grace after the heal
            new ReadRecord("k", At(4), At(5), 1, true, "tertiary"),       // through a DC that was never isolated: judged
            Read(20, 21, 1),                                              // through secondary, long after the heal: judged
        };
        var isolated = new[] { new IsolationWindow("secondary", At(3.5), At(10)) };

        StaleReadChecker.ThroughIsolated(reads, isolated).Should().Equal(reads[0], reads[1]);
        StaleReadChecker.Check(writes, reads, isolated).Select(s => s.Read).Should().Equal(reads[2], reads[3]);
        StaleReadChecker.Check(writes, reads).Should().HaveCount(4, "without windows every read is judged");
        StaleReadChecker.ThroughIsolated(reads, [new IsolationWindow("secondary", At(3.5), null)]).Should().Equal([reads[0], reads[1], reads[3]], "an open window runs on");
    }

    [Fact]
    public void A_write_acknowledged_entirely_inside_the_quorum_loss_window_is_a_violation_and_edge_writes_are_not()
    {
        var history = new[]
        {
            Write(1, 0, 10.5),                                 // started before the loss: may have committed before it
            Write(2, 11, 12, WriteOutcomeKind.Indeterminate),
            Write(2, 12, 13, WriteOutcomeKind.Failed),
            Write(2, 13, 14),                                  // inside: impossible without quorum
            Write(3, 39, 41),                                  // ended after the heal started
        };

        var violations = QuorumLossCheck.AcknowledgedWithoutQuorum(history, At(10), At(40));

        violations.Should().ContainSingle().Which.Counter.Should().Be(2);
        QuorumLossCheck.Outcomes(history, At(10), At(40)).Should().Be((1, 1, 1));
        QuorumLossCheck.AcknowledgedWithoutQuorum(history.Where(w => w.Start != At(13)).ToList(), At(10), At(40)).Should().BeEmpty();
    }

    [Fact]
    public void The_timeline_merges_samples_into_segments_and_measures_the_time_without_a_leader()
    {
        var samples = new List<RoleSample>();
        void Round(double s, NodeRole p, NodeRole q)
        {
            samples.Add(new RoleSample(At(s), "primary", p));
            samples.Add(new RoleSample(At(s), "secondary", q));
        }

        Round(0, NodeRole.Leader, NodeRole.Follower);
        Round(1, NodeRole.Leader, NodeRole.Follower);
        Round(2, NodeRole.Unreachable, NodeRole.Follower);
        Round(3, NodeRole.Unreachable, NodeRole.Follower);
        Round(5, NodeRole.Unreachable, NodeRole.Leader);
        Round(6, NodeRole.Follower, NodeRole.Leader);
        Round(7, NodeRole.Sealed, NodeRole.Sealed);
        var timeline = new RunTimeline(["primary", "secondary"], At(0), At(9), samples, [], []);

        timeline.Segments("primary").Select(s => (s.Role, (s.From - T0).TotalSeconds, (s.To - T0).TotalSeconds)).Should().Equal(
            (NodeRole.Leader, 0d, 2d), (NodeRole.Unreachable, 2d, 6d), (NodeRole.Follower, 6d, 7d), (NodeRole.Sealed, 7d, 9d));
        timeline.Segments("secondary").Select(s => s.Role).Should().Equal(NodeRole.Follower, NodeRole.Leader, NodeRole.Sealed);
        timeline.WithoutLeader().Select(s => ((s.From - T0).TotalSeconds, (s.To - T0).TotalSeconds)).Should().Equal((2d, 5d), (7d, 9d));
        timeline.TimeWithoutLeader.Should().Be(TimeSpan.FromSeconds(5));
    }

    [Theory]
    [InlineData(true, false, false, NodeRole.Leader)]
    [InlineData(true, false, true, NodeRole.Follower)]
    [InlineData(true, true, true, NodeRole.Sealed)]
    [InlineData(false, true, false, NodeRole.Sealed)]
    public void Roles_come_from_sys_health(bool initialized, bool @sealed, bool standby, NodeRole expected) =>
        TimelineRecorder.RoleOf(new Harness.Infrastructure.Vault.VaultHealth { Initialized = initialized, Sealed = @sealed, Standby = standby }).Should().Be(expected);

    [Fact]
    public void No_answer_is_unreachable() => TimelineRecorder.RoleOf(null).Should().Be(NodeRole.Unreachable);
}
