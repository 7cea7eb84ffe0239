using FluentAssertions;
using MultiDcVault.Harness.Health;
using MultiDcVault.Harness.Infrastructure.Vault;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Health;

public sealed class RaftObserverTests
{
    private static readonly DatacenterAddress[] Datacenters =
    [
        new("primary", "172.18.255.200"),
        new("secondary", "172.18.255.208"),
        new("tertiary", "fc00:f853:ccd:e793::ff10"),
    ];

    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task When_two_nodes_claim_to_be_active_the_newest_active_time_wins()
    {
        var probe = new DelegateVaultNodeProbe(Datacenters, dc => dc switch
        {
            "primary" => Active(T0),
            "secondary" => Active(T0.AddSeconds(30)),
            _ => Standby("https://172.18.255.208:8200"),
        });

        var leader = await new RaftObserver(probe).FindLeaderAsync(CancellationToken.None);

        leader!.Datacenter.Should().Be("secondary");
        leader.Confirmed.Should().BeTrue();
        leader.ActiveTime.Should().Be(T0.AddSeconds(30));
        leader.Claimants.Should().Equal("primary", "secondary");
    }

    [Fact]
    public async Task When_the_active_node_is_unreachable_the_standbys_leader_address_names_its_datacenter_unconfirmed()
    {
        var probe = new DelegateVaultNodeProbe(Datacenters, dc => dc == "tertiary"
            ? throw new TimeoutException("tertiary paused")
            : Standby("https://[fc00:f853:ccd:e793::ff10]:8200"));

        var leader = await new RaftObserver(probe).FindLeaderAsync(CancellationToken.None);

        leader!.Datacenter.Should().Be("tertiary");
        leader.Confirmed.Should().BeFalse();
        leader.Observations.Single(o => o.Node == "tertiary").Error.Should().Contain("tertiary paused");
    }

    [Theory]
    [InlineData("https://172.18.255.200:8200", "primary")]
    [InlineData("172.18.255.208:8201", "secondary")]
    [InlineData("https://[fc00:f853:ccd:e793::ff10]:8200", "tertiary")]
    [InlineData("https://172.18.255.201:8200", null)]
    [InlineData("https://vault-primary.default:8200", null)]
    [InlineData("", null)]
    public void Addresses_map_to_datacenters_by_load_balancer_ip(string address, string? expected)
    {
        var locator = new RaftObserver(new DelegateVaultNodeProbe(Datacenters, _ => Standby(string.Empty)));

        locator.DatacenterOfAddress(address).Should().Be(expected);
    }

    [Fact]
    public async Task Waiting_for_a_new_leader_ignores_the_old_one_until_another_datacenter_confirms()
    {
        var time = new FakeTimeProvider(T0);
        var cluster = new FakeVaultCluster(time);
        var locator = new RaftObserver(cluster, time, TimeSpan.FromSeconds(1));
        var electAt = T0.AddSeconds(7);

        var leader = await FakeClock.RunAsync(time, async () =>
        {
            var wait = locator.WaitForNewLeaderAsync("primary", TimeSpan.FromSeconds(30), CancellationToken.None);
            while (!wait.IsCompleted && time.GetUtcNow() < electAt)
            {
                await Task.Delay(1);
            }

            cluster.Elect("tertiary");
            return await wait;
        });

        leader.Datacenter.Should().Be("tertiary");
        leader.Confirmed.Should().BeTrue();
        leader.ActiveTime.Should().BeOnOrAfter(electAt);
    }

    [Fact]
    public async Task Waiting_for_a_new_leader_times_out_with_what_every_node_said()
    {
        var time = new FakeTimeProvider(T0);
        var cluster = new FakeVaultCluster(time);
        cluster.TakeDown("secondary");
        var locator = new RaftObserver(cluster, time, TimeSpan.FromSeconds(1));

        var act = () => FakeClock.RunAsync(time, () => locator.WaitForNewLeaderAsync("primary", TimeSpan.FromSeconds(10), CancellationToken.None));

        var error = (await act.Should().ThrowAsync<TimeoutException>()).Which;
        error.Message.Should().Contain("new active node outside 'primary'")
            .And.Contain("primary: active since")
            .And.Contain("secondary: unreachable (secondary does not answer)")
            .And.Contain("tertiary: standby -> https://172.18.255.200:8200");
        time.GetUtcNow().Should().BeOnOrAfter(T0.AddSeconds(10));
    }

    [Fact]
    public async Task Active_according_to_a_standby_is_the_node_it_forwards_to()
    {
        var cluster = new FakeVaultCluster(new FakeTimeProvider(T0), leader: "secondary");
        var locator = new RaftObserver(cluster);

        (await locator.ActiveAccordingToAsync("tertiary", CancellationToken.None)).Should().Be("secondary");
        (await locator.ActiveAccordingToAsync("secondary", CancellationToken.None)).Should().Be("secondary");
        cluster.TakeDown("primary");
        (await locator.ActiveAccordingToAsync("primary", CancellationToken.None)).Should().BeNull();
    }

    private static VaultLeader Active(DateTimeOffset since) => new() { HaEnabled = true, IsSelf = true, ActiveTime = since, LeaderAddress = "https://self:8200" };

    private static VaultLeader Standby(string leaderAddress) => new() { HaEnabled = true, IsSelf = false, LeaderAddress = leaderAddress };
}
