using FluentAssertions;
using MultiDcVault.Harness.Drills;
using MultiDcVault.Harness.Health;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Drills;

public sealed class LeaderChangeMonitorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Counts_each_new_leader_including_a_node_that_was_elected_again()
    {
        await using var time = new VirtualTimeProvider();
        var cluster = new FakeVaultCluster(time);
        await using var monitor = await LeaderChangeMonitor.StartAsync(new RaftObserver(cluster, time), Ct, time, TimeSpan.FromSeconds(2));

        await Task.Delay(TimeSpan.FromSeconds(7), time, Ct);
        cluster.Elect("secondary");
        await Task.Delay(TimeSpan.FromSeconds(7), time, Ct);
        cluster.Elect("secondary"); // lost and won again: same node, new active_time
        await Task.Delay(TimeSpan.FromSeconds(7), time, Ct);
        var count = await monitor.StopAsync(Ct);

        count.Changes.Should().Be(2);
        count.Leaders.Should().HaveCount(3);
        count.Leaders[0].Should().StartWith("primary (active since ");
        count.Leaders[1].Should().StartWith("secondary (active since ");
        count.Samples.Should().BeGreaterThanOrEqualTo(10, "one at the start, one every 2 s, one at the end");
        count.SamplesWithoutLeader.Should().Be(0);
        (await monitor.StopAsync(Ct)).Should().BeSameAs(count);
    }

    [Fact]
    public async Task A_steady_leader_is_zero_changes_and_an_unreachable_leader_is_a_sample_without_leader_not_a_change()
    {
        await using var time = new VirtualTimeProvider();
        var cluster = new FakeVaultCluster(time);
        await using var monitor = await LeaderChangeMonitor.StartAsync(new RaftObserver(cluster, time), Ct, time, TimeSpan.FromSeconds(2));

        await Task.Delay(TimeSpan.FromSeconds(5), time, Ct);
        cluster.TakeDown("tertiary");
        await Task.Delay(TimeSpan.FromSeconds(5), time, Ct);
        cluster.BringUp("tertiary");
        var count = await monitor.StopAsync(Ct);

        count.Changes.Should().Be(0);
        count.Leaders.Should().ContainSingle().Which.Should().StartWith("primary");
        count.SamplesWithoutLeader.Should().Be(0, "a standby being down does not hide the confirmed leader");
    }

    [Fact]
    public void Rounds_without_a_confirmed_leader_are_counted_apart_and_do_not_split_one_leader_into_two()
    {
        var timeline = new LeaderTimeline();
        var since = new DateTimeOffset(2026, 12, 2, 5, 0, 0, TimeSpan.Zero);
        var primary = new LocatedLeader("primary", true, since, ["primary"], []);

        timeline.Add(primary);
        timeline.Add(null);
        timeline.Add(new LocatedLeader("secondary", Confirmed: false, null, [], []));
        timeline.Add(primary);
        var count = timeline.Count();

        count.Should().BeEquivalentTo(new LeaderChangeCount(0, 4, 2, ["primary (active since 2026-12-02T05:00:00.0000000+00:00)"]));
    }
}
