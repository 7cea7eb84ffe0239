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

    [Fact]
    public async Task A_healthy_cluster_is_read_through_its_leader_and_every_row_has_its_role()
    {
        var cluster = new FakeVaultCluster(new FakeTimeProvider(T0), leader: "secondary");

        var observed = await new RaftObserver(cluster).ObserveAsync(CancellationToken.None);

        observed.Healthy.Should().BeTrue(observed.ToString());
        observed.Leader!.Datacenter.Should().Be("secondary");
        observed.Leader.Confirmed.Should().BeTrue();
        observed.ReadThrough.Should().Be("secondary", "the active node answers without forwarding");
        observed.Autopilot!.Leader.Should().Be("secondary");
        observed.Configuration!.Servers.Should().HaveCount(3);
        observed.ClusterErrors.Should().BeEmpty();
        observed.Datacenters.Select(d => (d.Name, d.Role, d.RaftRole, d.Sealed)).Should().Equal(
            ("primary", RaftNodeRole.Follower, "voter", false),
            ("secondary", RaftNodeRole.Leader, "leader", false),
            ("tertiary", RaftNodeRole.Follower, "voter", false));
    }

    // hashicorp/vault vault/logical_system_raft.go (read at 00b51c2): storage/raft/autopilot/state is registered with
    // ForwardPerformanceStandby, and storage/raft/configuration answers data.config from the Raft backend; a standby
    // forwards both to the active node, so when the active node itself fails the read, a standby can still answer.
    [Fact]
    public async Task When_the_leader_cannot_be_read_through_a_standby_answers_and_the_leaders_error_is_kept()
    {
        var cluster = new FakeVaultCluster(new FakeTimeProvider(T0));
        var probe = new ScriptedNodeProbe(cluster)
        {
            Autopilot = dc => dc == "primary" ? throw new TimeoutException("primary: read timed out") : null,
        };

        var observed = await new RaftObserver(probe).ObserveAsync(CancellationToken.None);

        probe.AutopilotAskedOf.Should().StartWith("primary", "the active node is asked first");
        observed.ReadThrough.Should().Be(probe.AutopilotAskedOf[1]);
        observed.ReadThrough.Should().NotBe("primary");
        observed.ClusterErrors.Should().Equal("primary: primary: read timed out");
        observed.Configuration.Should().NotBeNull();
        observed.Health.Problems.Should().NotContain(p => p.StartsWith("could not read autopilot", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_no_active_node_every_standbys_error_is_named_in_the_verdict()
    {
        var cluster = new FakeVaultCluster(new FakeTimeProvider(T0));
        cluster.Elect(null);

        var observed = await new RaftObserver(cluster).ObserveAsync(CancellationToken.None);

        observed.Healthy.Should().BeFalse();
        observed.ReadThrough.Should().BeNull();
        observed.ClusterErrors.Should().HaveCount(3).And.OnlyContain(e => e.Contains("local node not active but active cluster node not found", StringComparison.Ordinal));
        observed.Health.Problems.Should().Contain(p =>
            p.StartsWith("could not read autopilot state and Raft configuration through any node: primary: ", StringComparison.Ordinal));
        observed.Datacenters.Should().OnlyContain(d => d.Role == RaftNodeRole.Follower && d.RaftRole == "standby");
    }

    // hashicorp/vault http/sys_health.go: with sealedcode=299 (the harness's always-parseable query) a sealed node answers
    // sys/health with a body whose "sealed" is true; its sys/leader does not (the fake throws, as a node that cannot
    // serve it). The row must say sealed, not unreachable: the pod is there, the seal (transit KMS) is the problem.
    [Fact]
    public async Task A_sealed_node_reads_sealed_not_unreachable()
    {
        var cluster = new FakeVaultCluster(new FakeTimeProvider(T0));
        var probe = new ScriptedNodeProbe(cluster)
        {
            Health = dc => dc == "tertiary" ? new VaultHealth { Initialized = true, Sealed = true, Standby = true } : null,
            Leader = dc => dc == "tertiary" ? throw new VaultApiException("GET", new Uri("https://172.18.255.216:8200"), "/v1/sys/leader", System.Net.HttpStatusCode.ServiceUnavailable, ["Vault is sealed"]) : null,
        };

        var observed = await new RaftObserver(probe).ObserveAsync(CancellationToken.None);

        var tertiary = observed.Datacenters.Single(d => d.Name == "tertiary");
        tertiary.Role.Should().Be(RaftNodeRole.Sealed);
        tertiary.Sealed.Should().BeTrue();
        tertiary.Problem.Should().Contain("Vault is sealed");
        observed.Datacenters.Single(d => d.Name == "primary").Role.Should().Be(RaftNodeRole.Leader);
        observed.Health.Problems.Should().Contain(p => p.StartsWith("node tertiary did not answer sys/leader", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_the_root_token_autopilot_and_the_configuration_are_not_asked_for_and_the_verdict_says_why()
    {
        var cluster = new FakeVaultCluster(new FakeTimeProvider(T0));
        var probe = new ScriptedNodeProbe(cluster) { HasToken = false };

        var observed = await new RaftObserver(probe).ObserveAsync(CancellationToken.None);

        probe.AutopilotAskedOf.Should().BeEmpty();
        observed.Healthy.Should().BeFalse();
        observed.Leader!.Datacenter.Should().Be("primary");
        observed.Health.Problems.Should().Contain("the root token is not available yet, so the Raft configuration and autopilot state were not read");
    }

    [Fact]
    public async Task Waiting_for_health_times_out_with_the_last_observation()
    {
        var time = new FakeTimeProvider(T0);
        var cluster = new FakeVaultCluster(time);
        cluster.TakeDown("tertiary");
        var observer = new RaftObserver(cluster, time, TimeSpan.FromSeconds(1));

        var act = () => FakeClock.RunAsync(time, () => observer.WaitForHealthyAsync(TimeSpan.FromSeconds(10), CancellationToken.None));

        var error = (await act.Should().ThrowAsync<TimeoutException>()).Which;
        error.Message.Should().Contain("a healthy cluster (3 voters, one agreed leader, autopilot healthy)")
            .And.Contain("autopilot reports the cluster unhealthy")
            .And.Contain("tertiary: unreachable (tertiary does not answer)");
        time.GetUtcNow().Should().BeOnOrAfter(T0.AddSeconds(10));
    }

    private static VaultLeader Active(DateTimeOffset since) => new() { HaEnabled = true, IsSelf = true, ActiveTime = since, LeaderAddress = "https://self:8200" };

    private static VaultLeader Standby(string leaderAddress) => new() { HaEnabled = true, IsSelf = false, LeaderAddress = leaderAddress };
}

/// <summary>A <see cref="FakeVaultCluster"/> whose answers can be overridden per call (a non-null override wins) and whose autopilot reads are recorded.</summary>
internal sealed class ScriptedNodeProbe(FakeVaultCluster cluster) : IVaultNodeProbe
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _autopilotAskedOf = new();

    public Func<string, VaultHealth?> Health { get; init; } = _ => null;

    public Func<string, VaultLeader?> Leader { get; init; } = _ => null;

    public Func<string, AutopilotState?> Autopilot { get; init; } = _ => null;

    public bool HasToken { get; init; } = true;

    public IReadOnlyList<string> AutopilotAskedOf => [.. _autopilotAskedOf];

    public IReadOnlyList<DatacenterAddress> Datacenters => cluster.Datacenters;

    public bool CanReadClusterState => HasToken;

    public Task<VaultHealth> GetHealthAsync(string datacenter, CancellationToken cancellationToken) =>
        Health(datacenter) is { } health ? Task.FromResult(health) : cluster.GetHealthAsync(datacenter, cancellationToken);

    public Task<VaultLeader> GetLeaderAsync(string datacenter, CancellationToken cancellationToken) =>
        Leader(datacenter) is { } leader ? Task.FromResult(leader) : cluster.GetLeaderAsync(datacenter, cancellationToken);

    public Task<VaultSealStatus> GetSealStatusAsync(string datacenter, CancellationToken cancellationToken) => cluster.GetSealStatusAsync(datacenter, cancellationToken);

    public Task<AutopilotState?> GetAutopilotStateAsync(string datacenter, CancellationToken cancellationToken)
    {
        _autopilotAskedOf.Enqueue(datacenter);
        return Autopilot(datacenter) is { } state ? Task.FromResult<AutopilotState?>(state) : cluster.GetAutopilotStateAsync(datacenter, cancellationToken);
    }

    public Task<RaftConfiguration> GetRaftConfigurationAsync(string datacenter, CancellationToken cancellationToken) => cluster.GetRaftConfigurationAsync(datacenter, cancellationToken);
}
