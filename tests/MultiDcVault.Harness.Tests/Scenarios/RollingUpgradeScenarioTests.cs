using FluentAssertions;
using MultiDcVault.Harness.Scenarios;
using MultiDcVault.Harness.Scenarios.RollingUpgrade;
using MultiDcVault.Harness.Tests.TestSupport;
using MultiDcVault.Harness.Timeline;
using MultiDcVault.Harness.Verification;
using Xunit;

namespace MultiDcVault.Harness.Tests.Scenarios;

public sealed class RollingUpgradeScenarioTests
{
    private const string From = "hashicorp/vault:2.0.4";
    private const string To = "hashicorp/vault:2.1.2";
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task Followers_go_first_the_leader_last_every_node_ends_on_the_new_version_and_leadership_moves_once()
    {
        var (cluster, upgrades) = Cluster();

        var result = await RunAsync(cluster, upgrades);

        result.Passed.Should().BeTrue(result.Describe());
        upgrades.Calls.Should().Equal($"prepare {To}", "secondary", "tertiary", "primary");
        cluster.Versions.Values.Should().OnlyContain(v => v == "2.1.2");
        result.Measurements.Should().Contain("leader changes: 1 (at most 1, one per upgraded leader)");
        result.Faults.Select(f => f.Fault).Should().Equal("upgrade(secondary)", "upgrade(tertiary)", "upgrade(primary)");
        result.Checks.Values.Should().OnlyContain(c => c.Passed && c.Acknowledged > 0);
        result.Timeline!.Segments("secondary").Select(s => s.Role).Should().Contain(NodeRole.Unreachable, "the pod was replaced");
    }

    [Fact]
    public async Task A_follower_restart_that_moves_leadership_is_one_leader_change_too_many()
    {
        var (cluster, upgrades) = Cluster();
        upgrades.OnRestart = dc => { if (dc == "secondary") { cluster.Elect("tertiary"); } };

        var result = await RunAsync(cluster, upgrades);

        result.Passed.Should().BeFalse();
        result.Problems.Should().Contain(p => p.StartsWith("Leadership moved 2 times, more than once per upgraded leader (1)", StringComparison.Ordinal));
        upgrades.Calls.Should().Equal($"prepare {To}", "secondary", "primary", "tertiary"); // asked again: tertiary leads now, so it goes last
    }

    [Fact]
    public async Task A_node_that_comes_back_on_the_old_version_stops_the_upgrade_with_what_autopilot_said()
    {
        var (cluster, upgrades) = Cluster();
        upgrades.Broken = "secondary";

        var result = await RunAsync(cluster, upgrades);

        result.Passed.Should().BeFalse();
        result.Problems.Should().Contain(p => p.StartsWith("secondary was not a healthy voter on 2.1.2 within 20.0 s of its upgrade", StringComparison.Ordinal) && p.Contains("2.0.4", StringComparison.Ordinal));
        upgrades.Calls.Should().Equal($"prepare {To}", "secondary");
    }

    [Fact]
    public async Task A_lost_write_during_the_upgrade_fails_it()
    {
        var (cluster, upgrades) = Cluster();
        upgrades.OnRestart = dc => { if (dc == "primary") { cluster.DropWritesServedBy = "secondary"; } };

        var result = await RunAsync(cluster, upgrades);

        result.Problems.Should().Contain(p => p.Contains("acknowledged but lost", StringComparison.Ordinal));
    }

    [Fact]
    public void The_ci_trait_names_the_scenario() =>
        ScenarioTraits.RollingUpgrade.Should().Be(RollingUpgradeScenario.ScenarioName, "the upgrade job filters on the scenario's name");

    private (FakeVaultCluster, ScriptedUpgrades) Cluster()
    {
        var cluster = new FakeVaultCluster(_time);
        foreach (var dc in cluster.Datacenters)
        {
            cluster.Versions[dc.Name] = "2.0.4";
        }

        return (cluster, new ScriptedUpgrades(cluster, _time));
    }

    [Fact]
    public async Task Without_a_target_the_next_matrix_version_after_the_running_image_is_taken()
    {
        var (cluster, upgrades) = Cluster();

        var result = await RunAsync(cluster, upgrades, target: null);

        result.Passed.Should().BeTrue(result.Describe());
        upgrades.Calls[0].Should().Be("prepare hashicorp/vault:2.1.2", "2.1.2 follows 2.0.4 in the CI matrix");
    }

    [Theory]
    [InlineData("hashicorp/vault:2.1.2", null, "is the newest the CI matrix tests")]
    [InlineData("hashicorp/vault:2.0.4", "hashicorp/vault:1.21.4", "older")]
    [InlineData("hashicorp/vault:2.0.4", "hashicorp/vault:2.0.4", "already runs")]
    public async Task An_impossible_target_is_refused_in_one_line_before_anything_changes(string current, string? target, string message)
    {
        var (cluster, upgrades) = Cluster();
        upgrades.Current = current;

        var act = () => RunAsync(cluster, upgrades, target);

        (await act.Should().ThrowAsync<Harness.Configuration.OptionsValidationException>()).Which.Message.Should().Contain(message).And.NotContain("\n");
        upgrades.Calls.Should().BeEmpty();
    }

    private async Task<ScenarioResult> RunAsync(FakeVaultCluster cluster, ScriptedUpgrades upgrades, string? target = To)
    {
        var context = new ScenarioContext(cluster, cluster, new ScriptedScenarioFaults(cluster, _time), _time, QuorumLossScenarioTests.Quick) { Upgrades = upgrades };
        var results = await FakeClock.RunAsync(_time, () => ScenarioRunner.RunAsync(context, new ScenarioRequest(RollingUpgradeScenario.ScenarioName, ToVaultImage: target), null, CancellationToken.None));
        return results.Should().ContainSingle().Subject;
    }

    /// <summary>A pod replacement on the fake cluster: the node goes away for 3 s (a leader hands over first), then comes back on the new version.</summary>
    private sealed class ScriptedUpgrades(FakeVaultCluster cluster, TimeProvider time) : IScenarioUpgrades
    {
        public List<string> Calls { get; } = [];

        public Action<string>? OnRestart { get; set; }

        /// <summary>This datacenter's new pod still runs the old version (an image that did not change).</summary>
        public string? Broken { get; set; }

        public string Current { get; set; } = From;

        public Task<string> CurrentImageAsync(CancellationToken cancellationToken) => Task.FromResult(Current);

        public Task PrepareAsync(string image, IProgress<string>? progress, CancellationToken cancellationToken)
        {
            Calls.Add($"prepare {image}");
            return Task.CompletedTask;
        }

        public async Task RollOutAsync(string datacenter, string image, IProgress<string>? progress, CancellationToken cancellationToken)
        {
            Calls.Add(datacenter);
            var wasLeader = cluster.Leader == datacenter;
            cluster.TakeDown(datacenter);
            if (wasLeader)
            {
                cluster.Elect(cluster.Datacenters.Select(d => d.Name).First(dc => dc != datacenter));
            }

            await Task.Delay(TimeSpan.FromSeconds(3), time, cancellationToken);
            OnRestart?.Invoke(datacenter);
            cluster.Versions[datacenter] = datacenter == Broken ? "2.0.4" : image.Split(':')[1];
            cluster.BringUp(datacenter);
        }
    }
}

public sealed class LeaderChangeCountTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("p p p s s s", 1)]
    [InlineData("p p - - s s", 1)]
    [InlineData("p p ps s s", 1)]           // both claim it in one round: no proof of a handover
    [InlineData("p p s p p p", 0)]          // one round of s between p's: not a handover
    [InlineData("p p s s p p", 2)]
    [InlineData("p p s s t t", 2)]
    [InlineData("p", 0)]
    public void A_leader_must_hold_two_rounds_to_count_as_a_change(string rounds, int changes)
    {
        var samples = new List<RoleSample>();
        var names = new Dictionary<char, string> { ['p'] = "primary", ['s'] = "secondary", ['t'] = "tertiary" };
        foreach (var (round, i) in rounds.Split(' ').Select((r, i) => (r, i)))
        {
            foreach (var dc in names)
            {
                samples.Add(new RoleSample(T0.AddSeconds(i), dc.Value, round.Contains(dc.Key) ? NodeRole.Leader : NodeRole.Follower));
            }
        }

        RollingUpgradeScenario.LeaderChanges(new RunTimeline([.. names.Values], T0, T0.AddSeconds(10), samples, [], [])).Should().Be(changes);
    }
}
