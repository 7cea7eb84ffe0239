using FluentAssertions;
using MultiDcVault.Harness.Faults;
using MultiDcVault.Harness.Scenarios;
using MultiDcVault.Harness.Scenarios.PowerCycle;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Scenarios;

public sealed class PowerCycleScenarioTests
{
    private readonly FakeTimeProvider _time = new();

    [Theory]
    [InlineData("central-first", "start central Vault", "vaults running when the central Vault started: ", "start primary", "start secondary", "start tertiary")]
    [InlineData("central-last", "start tertiary", "start secondary", "start primary", "start central Vault", "vaults running when the central Vault started: primary,secondary,tertiary")]
    public async Task Everything_stops_at_once_starts_in_the_variants_order_and_the_cluster_comes_back_with_every_write(string variant, params string[] starts)
    {
        var (cluster, faults) = Cluster();

        var result = await RunAsync(faults, variant);

        result.Passed.Should().BeTrue(result.Describe());
        faults.Power.Calls.Should().Equal(["stop all", .. starts, "heal", "check addresses", "check addresses"], "the LB IPs are checked again once the cluster recovered");
        result.Measurements.Should().Contain(m => m.StartsWith($"healthy again", StringComparison.Ordinal) && m.Contains($"after the power-on ({variant})", StringComparison.Ordinal));
        result.Workload.Writes.Should().Contain(w => w.IsAcknowledged && w.End < result.Faults[0].InjectedAt, "writes from before the cut");
        result.Workload.Writes.Should().Contain(w => w.IsAcknowledged && w.Start > result.Faults[0].HealedAt, "writes after the power-on");
        result.Checks.Keys.Should().BeEquivalentTo("primary", "secondary", "tertiary");
        result.Timeline!.Faults[0].Datacenters.Should().Equal("primary", "secondary", "tertiary");
        cluster.Leader.Should().NotBeNull();
        if (variant == "central-last")
        {
            // Every Vault started before its KMS, so one follower's pod is restarted to renew the transit token again.
            faults.Calls.Select(c => c.Call).Should().Equal("inject pod-loss(secondary)", "heal pod-loss(secondary)");
            result.Measurements.Should().Contain(m => m.Contains("after restarting secondary's pod", StringComparison.Ordinal));
        }
        else
        {
            faults.Calls.Should().BeEmpty();
        }
    }

    [Fact]
    public async Task Central_last_holds_the_kms_back_until_every_vault_runs_and_then_starts_it_anyway_if_they_never_do()
    {
        var (_, faults) = Cluster();
        faults.Power.VaultsRun = false;

        var result = await RunAsync(faults, "central-last");

        result.Measurements.Should().Contain("not every Vault container ran within 300.0 s of the nodes starting; the KMS was started anyway");
        faults.Power.Calls.Should().Contain("start central Vault");
        var fine = await RunAsync(faults, "central-last", fresh: true);
        fine.Measurements.Should().Contain(m => m.StartsWith("every Vault container ran ", StringComparison.Ordinal) && m.EndsWith(" after the nodes started, before its KMS", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_moved_lb_ip_ends_the_scenario_in_one_line_without_waiting_for_the_cluster()
    {
        var (_, faults) = Cluster();
        faults.Power.Drifts.Add(new LoadBalancerDrift("secondary", "172.18.255.208", null, TimeSpan.FromSeconds(120)));
        faults.Power.ComesBack = false; // were it waited for, the cluster would never be healthy

        var result = await RunAsync(faults, "central-first");

        result.Passed.Should().BeFalse();
        result.Problems.Should().ContainSingle().Which.Should().Be("addresses changed across the power cycle: LB of secondary 172.18.255.208 -> none after 120 s");
        result.Checks.Should().BeEmpty("nothing is read back from a cluster that cannot re-form");
        (result.FinishedAt - result.StartedAt).Should().BeLessThan(TimeSpan.FromMinutes(1), "no recovery wait");
    }

    [Fact]
    public async Task A_moved_node_address_is_said_in_one_line_and_handed_to_the_faults_but_is_not_fatal()
    {
        var (_, faults) = Cluster();
        var drift = new NodeAddressDrift("tertiary-control-plane", "172.18.0.4", "172.18.0.2");
        faults.Power.Drifts.Add(drift);

        var result = await RunAsync(faults, "central-last");

        result.Passed.Should().BeTrue(result.Describe());
        result.Measurements.Should().Contain("addresses changed across the power cycle: node tertiary-control-plane 172.18.0.4 -> 172.18.0.2 (not fatal: Raft uses the LB IPs, and the faults now use the new node addresses)");
        faults.Moved.Should().Equal(drift);
    }

    [Fact]
    public async Task A_node_that_did_not_come_back_is_fatal()
    {
        var (_, faults) = Cluster();
        faults.Power.Drifts.Add(new NodeAddressDrift("primary-control-plane", "172.18.0.2", null, "not running"));

        var result = await RunAsync(faults, "central-first");

        result.Problems.Should().ContainSingle().Which.Should().Contain("node primary-control-plane 172.18.0.2 -> none (not running)");
        faults.Moved.Should().BeEmpty();
    }

    [Fact]
    public async Task Vaults_that_never_come_back_fail_within_the_power_on_bound()
    {
        var (_, faults) = Cluster();
        faults.Power.ComesBack = false;

        var result = await RunAsync(faults, "central-last");

        result.Problems.Should().Contain(p => p.StartsWith("The cluster was not healthy within 30.0 s after the power-on (central-last)", StringComparison.Ordinal));
    }

    private (FakeVaultCluster, ScriptedScenarioFaults) Cluster()
    {
        var cluster = new FakeVaultCluster(_time);
        return (cluster, new ScriptedScenarioFaults(cluster, _time));
    }

    private async Task<ScenarioResult> RunAsync(ScriptedScenarioFaults faults, string variant, bool fresh)
    {
        faults.Power.VaultsRun = fresh;
        return await RunAsync(faults, variant);
    }

    private async Task<ScenarioResult> RunAsync(ScriptedScenarioFaults faults, string variant)
    {
        var context = new ScenarioContext(faults.Power.ClusterProbe, faults.Power.ClusterProbe, faults, _time, QuorumLossScenarioTests.Quick);
        var results = await FakeClock.RunAsync(_time, () => ScenarioRunner.RunAsync(context, new ScenarioRequest(PowerCycleScenario.ScenarioName, variant), null, CancellationToken.None));
        return results.Should().ContainSingle().Subject;
    }
}
