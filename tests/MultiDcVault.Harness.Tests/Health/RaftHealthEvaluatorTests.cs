using System.Text.Json;
using FluentAssertions;
using MultiDcVault.Harness.Components.Vault;
using MultiDcVault.Harness.Health;
using MultiDcVault.Harness.Infrastructure.Vault;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Health;

public sealed class RaftHealthEvaluatorTests
{
    private const string Primary = "https://172.18.255.200:8200";
    private const string Secondary = "https://172.18.255.208:8200";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private static AutopilotState Autopilot(string envelope) =>
        JsonDocument.Parse(envelope).RootElement.GetProperty("data").Deserialize<AutopilotState>(Json)!;

    private static RaftConfiguration Config(string leaderId = "vault-primary") => new(
        [
            new RaftServer { NodeId = "vault-primary", Address = "172.18.255.200:8201", Leader = leaderId == "vault-primary", Voter = true },
            new RaftServer { NodeId = "vault-secondary", Address = "172.18.255.208:8201", Leader = leaderId == "vault-secondary", Voter = true },
            new RaftServer { NodeId = "vault-tertiary", Address = "172.18.255.216:8201", Leader = leaderId == "vault-tertiary", Voter = true },
        ],
        0);

    private static NodeLeaderObservation Active(string node, string address, DateTimeOffset since) =>
        new(node, new VaultLeader { HaEnabled = true, IsSelf = true, ActiveTime = since, LeaderAddress = address });

    private static NodeLeaderObservation Standby(string node, string leaderAddress) =>
        new(node, new VaultLeader { HaEnabled = true, IsSelf = false, ActiveTime = DateTimeOffset.MinValue, LeaderAddress = leaderAddress });

    private static readonly DateTimeOffset T0 = new(2025, 5, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Healthy_three_voter_cluster_is_healthy()
    {
        var snapshot = RaftHealthEvaluator.Evaluate(
            Autopilot(VaultSamples.AutopilotHealthy),
            Config(),
            [Active("primary", Primary, T0), Standby("secondary", Primary), Standby("tertiary", Primary)],
            expectedVoters: 3);

        snapshot.Healthy.Should().BeTrue(snapshot.ToString());
        snapshot.VoterCount.Should().Be(3);
        snapshot.LeaderId.Should().Be("vault-primary");
        snapshot.ActiveNode.Should().Be("primary");
        snapshot.LeaderAddress.Should().Be(Primary);
        snapshot.FailureTolerance.Should().Be(1);
        snapshot.LeaderAgreed.Should().BeTrue();
        snapshot.Problems.Should().BeEmpty();
    }

    [Fact]
    public void After_leader_loss_the_new_leader_is_found_but_the_cluster_is_degraded()
    {
        var snapshot = RaftHealthEvaluator.Evaluate(
            Autopilot(VaultSamples.AutopilotAfterLeaderLoss),
            Config("vault-secondary"),
            [
                NodeLeaderObservation.Unreachable("primary", "connection refused"),
                Active("secondary", Secondary, T0.AddMinutes(5)),
                Standby("tertiary", Secondary),
            ],
            expectedVoters: 3);

        snapshot.Healthy.Should().BeFalse();
        snapshot.LeaderId.Should().Be("vault-secondary");
        snapshot.ActiveNode.Should().Be("secondary");
        snapshot.LeaderAgreed.Should().BeTrue("the reachable nodes agree on the new leader");
        snapshot.FailureTolerance.Should().Be(0);
        snapshot.UnhealthyServers.Should().Equal("vault-primary");
        snapshot.Problems.Should().Contain(p => p.Contains("failure tolerance 0, expected 1", StringComparison.Ordinal));
        snapshot.Problems.Should().Contain(p => p.Contains("vault-primary unhealthy", StringComparison.Ordinal) && p.Contains("14.2s", StringComparison.Ordinal));
        snapshot.Problems.Should().Contain(p => p.Contains("primary did not answer", StringComparison.Ordinal));
    }

    [Fact]
    public void Two_nodes_claiming_to_be_active_resolve_to_the_newest_active_time()
    {
        var stale = Active("primary", Primary, T0);
        var fresh = Active("secondary", Secondary, T0.AddSeconds(12));

        var snapshot = RaftHealthEvaluator.Evaluate(
            Autopilot(VaultSamples.AutopilotHealthy) with { Leader = "vault-secondary" },
            Config("vault-secondary"),
            [stale, fresh, Standby("tertiary", Secondary)],
            expectedVoters: 3);

        snapshot.ActiveNode.Should().Be("secondary");
        snapshot.LeaderAddress.Should().Be(Secondary);
        snapshot.LeaderAgreed.Should().BeFalse();
        snapshot.Healthy.Should().BeFalse();
        snapshot.Problems.Should().Contain(p => p.Contains("2 nodes claim to be active", StringComparison.Ordinal));
        RaftHealthEvaluator.PickActive([fresh, stale]).Should().Be(fresh);
    }

    [Fact]
    public void Empty_autopilot_is_not_ready_and_falls_back_to_the_raft_configuration()
    {
        var snapshot = RaftHealthEvaluator.Evaluate(
            autopilot: null,
            Config(),
            [Active("primary", Primary, T0), Standby("secondary", Primary), Standby("tertiary", Primary)],
            expectedVoters: 3);

        snapshot.AutopilotReady.Should().BeFalse();
        snapshot.Healthy.Should().BeFalse();
        snapshot.VoterCount.Should().Be(3);
        snapshot.LeaderId.Should().Be("vault-primary");
        snapshot.Problems.Should().Contain(p => p.Contains("autopilot has no state yet", StringComparison.Ordinal));
    }

    [Fact]
    public void A_freshly_joined_non_voter_keeps_the_cluster_unhealthy()
    {
        var autopilot = Autopilot(VaultSamples.AutopilotHealthy) with
        {
            Voters = ["vault-primary", "vault-secondary"],
            NonVoters = ["vault-tertiary"],
            FailureTolerance = 0,
        };

        var snapshot = RaftHealthEvaluator.Evaluate(
            autopilot, Config(), [Active("primary", Primary, T0), Standby("secondary", Primary), Standby("tertiary", Primary)], 3);

        snapshot.VoterCount.Should().Be(2);
        snapshot.Healthy.Should().BeFalse();
        snapshot.Problems.Should().Contain(p => p.StartsWith("2 voter(s), expected 3", StringComparison.Ordinal));
    }

    [Fact]
    public void Nodes_naming_different_leaders_disagree()
    {
        var snapshot = RaftHealthEvaluator.Evaluate(
            Autopilot(VaultSamples.AutopilotHealthy),
            Config(),
            [Active("primary", Primary, T0), Standby("secondary", Primary), Standby("tertiary", Secondary)],
            3);

        snapshot.LeaderAgreed.Should().BeFalse();
        snapshot.ActiveNode.Should().Be("primary");
        snapshot.Problems.Should().Contain(p => p.Contains("tertiary->" + Secondary, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(3, 1)]
    [InlineData(5, 2)]
    [InlineData(7, 3)]
    public void Expected_failure_tolerance_keeps_a_majority(int voters, int tolerance) =>
        RaftHealthEvaluator.ExpectedFailureTolerance(voters).Should().Be(tolerance);
}

public sealed class GoDurationTests
{
    [Theory]
    [InlineData("0s", 0)]
    [InlineData("0", 0)]
    [InlineData("678.62575ms", 6_786_258)]
    [InlineData("3.969159375s", 39_691_594)]
    [InlineData("1m30s", 900_000_000)]
    [InlineData("1h2m3s", 37_230_000_000)]
    [InlineData("1500us", 15_000)]
    [InlineData("1500µs", 15_000)]
    [InlineData("-2s", -20_000_000)]
    public void Parses_go_duration_text(string text, long ticks)
    {
        GoDuration.TryParse(text, out var value).Should().BeTrue();
        value.Ticks.Should().Be(ticks);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("ms")]
    [InlineData("5 parsecs")]
    public void Rejects_other_text(string? text) => GoDuration.TryParse(text, out _).Should().BeFalse();
}

public sealed class UnsealKeysLocationTests
{
    [Theory]
    [InlineData("secret/data/vault-unseal-keys", "secret", "vault-unseal-keys")]
    [InlineData("/kv/team-a/data/keys/dc1/", "kv/team-a", "keys/dc1")]
    public void Splits_mount_and_folder(string path, string mount, string folder)
    {
        var location = UnsealKeysLocation.Parse(path);

        location.Mount.Should().Be(mount);
        location.Folder.Should().Be(folder);
        location.SecretPathOf("vault-root").Should().Be(folder + "/vault-root");
    }

    [Theory]
    [InlineData("secret/vault-unseal-keys")]
    [InlineData("data/vault-unseal-keys")]
    [InlineData("secret/data")]
    public void Refuses_paths_bank_vaults_would_not_write_as_kv_v2(string path)
    {
        var act = () => UnsealKeysLocation.Parse(path);

        act.Should().Throw<ArgumentException>().WithMessage("*<mount>/data/<folder>*");
    }
}
