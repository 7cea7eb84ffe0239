using FluentAssertions;
using MultiDcVault.Fixtures;
using MultiDcVault.Harness.Configuration;
using MultiDcVault.Harness.Scenarios;
using MultiDcVault.Harness.Scenarios.RollingUpgrade;
using MultiDcVault.Harness.Verification;
using Xunit;

namespace MultiDcVault.E2E.Tests;

/// <summary>
/// The rolling upgrade, alone in a class and behind a trait: it changes the Vault image of the shared environment for
/// every later test, so it runs only when asked (MULTIDC_UPGRADE_TO_VAULT_IMAGE set, as CI's upgrade job does), and the
/// version matrix jobs leave it out (--filter Scenario!=rolling-upgrade).
/// </summary>
[Trait("Category", "E2E")]
[Trait(ScenarioTraits.Name, ScenarioTraits.RollingUpgrade)]
public sealed class RollingUpgradeTests(MultiDcEnvironmentFixture fixture) : E2ETestBase(fixture)
{
    protected override bool MovesLeadership => true;

    [Fact]
    public async Task Upgrading_dc_by_dc_followers_first_loses_no_write_moves_leadership_once_and_ends_with_every_node_on_the_new_version()
    {
        Fixture.SkipIfUnavailable();
        var target = System.Environment.GetEnvironmentVariable(SupportedVaultVersions.UpgradeTargetVariable);
        if (string.IsNullOrWhiteSpace(target))
        {
            var why = $"{SupportedVaultVersions.UpgradeTargetVariable} is not set: the rolling upgrade changes the shared environment's Vault image for every later test, so it runs only when asked (CI's upgrade job sets it).";
            if (E2EAvailability.IsRequired(System.Environment.GetEnvironmentVariable))
            {
                throw new InvalidOperationException(why + $" Under {E2EAvailability.RequireVariable}=1 it fails instead of skipping; leave it out with --filter \"{ScenarioTraits.Except(ScenarioTraits.RollingUpgrade)}\".");
            }

            Assert.Skip(why);
        }

        await StartAsync();
        var result = (await ScenarioRunner.RunAsync(Env, new ScenarioRequest(RollingUpgradeScenario.ScenarioName, ToVaultImage: target), OutputProgress, Ct)).Should().ContainSingle().Subject;
        Fixture.Recorder.Scenario(TestName, result);
        Output.WriteLine(result.Describe());

        result.Passed.Should().BeTrue(result.Describe());
        result.Faults.Select(f => f.Fault).Should().HaveCount(Env.Datacenters.Count, "every datacenter was upgraded once");
        result.Measurements.Should().Contain(m => m.StartsWith("leader changes: ", StringComparison.Ordinal));
    }
}
