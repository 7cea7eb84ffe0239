using FluentAssertions;
using MultiDcVault.Fixtures;
using MultiDcVault.Harness.Scenarios;
using MultiDcVault.Harness.Scenarios.PowerCycle;
using MultiDcVault.Harness.Scenarios.QuorumLoss;
using MultiDcVault.Harness.Scenarios.Soak;
using Xunit;

namespace MultiDcVault.E2E.Tests;

/// <summary>
/// The scenarios no other harness runs, each against the shared environment exactly as <c>multidc scenario run</c>
/// runs it: the verdict is the scenario's own (its problems), and the report keeps its faults, writes and snapshots.
/// </summary>
[Trait("Category", "E2E")]
public sealed class ScenarioTests(MultiDcEnvironmentFixture fixture) : E2ETestBase(fixture)
{
    /// <summary>Long enough for a few overlapping episodes, short enough for the CI job's budget.</summary>
    private static readonly TimeSpan SoakDuration = TimeSpan.FromMinutes(4);

    protected override bool MovesLeadership => true;

    [Theory]
    [InlineData("pause")]
    [InlineData("partition")]
    [Trait("Scenario", QuorumLossScenario.ScenarioName)]
    public async Task Losing_a_majority_of_datacenters_acknowledges_no_write_until_quorum_is_back_and_loses_none(string variant)
    {
        var result = await RunAsync(new ScenarioRequest(QuorumLossScenario.ScenarioName, variant));

        result.Measurements.Should().Contain(m => m.StartsWith("while quorum was lost", StringComparison.Ordinal) && m.EndsWith(", 0 acknowledged", StringComparison.Ordinal), result.Describe());
        result.Checks.Keys.Should().BeEquivalentTo(Env.Datacenters.Select(d => d.Name));
    }

    [Theory]
    [InlineData("central-first")]
    [InlineData("central-last")]
    [Trait("Scenario", PowerCycleScenario.ScenarioName)]
    public async Task After_a_power_cut_of_everything_every_vault_unseals_through_the_kms_and_the_same_raft_cluster_keeps_every_write(string variant)
    {
        var result = await RunAsync(new ScenarioRequest(PowerCycleScenario.ScenarioName, variant));

        result.Measurements.Should().Contain(m => m.StartsWith("healthy again", StringComparison.Ordinal), result.Describe());
        result.Checks.Keys.Should().BeEquivalentTo(Env.Datacenters.Select(d => d.Name));
    }

    [Fact]
    [Trait("Scenario", SoakScenario.ScenarioName)]
    public async Task A_seeded_soak_of_overlapping_faults_keeps_every_acknowledged_write_and_serves_no_stale_read()
    {
        Fixture.SkipIfUnavailable();
        var seed = Env.TimeProvider.GetUtcNow().ToUnixTimeSeconds() % 100_000;
        Output.WriteLine($"Soak seed {seed}: replay with 'multidc scenario run soak --seed {seed} --minutes {SoakDuration.TotalMinutes:0}'.");

        var result = await RunAsync(new ScenarioRequest(SoakScenario.ScenarioName, Seed: seed, Duration: SoakDuration));

        result.Seed.Should().Be(seed);
        result.Faults.Should().NotBeEmpty();
    }

    private async Task<ScenarioResult> RunAsync(ScenarioRequest request)
    {
        await StartAsync();
        var result = (await ScenarioRunner.RunAsync(Env, request, OutputProgress, Ct)).Should().ContainSingle().Subject;
        Fixture.Recorder.Scenario(TestName, result);
        Output.WriteLine(result.Describe());
        result.Passed.Should().BeTrue(result.Describe());
        return result;
    }
}
