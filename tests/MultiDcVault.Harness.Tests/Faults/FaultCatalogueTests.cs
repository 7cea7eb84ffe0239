using FluentAssertions;
using MultiDcVault.Harness.Faults;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Faults;

public sealed class FaultCatalogueTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Every_fault_the_harness_can_inject_is_healed_by_the_catalogue()
    {
        var faults = typeof(IFault).Assembly.GetTypes()
            .Where(t => typeof(IFault).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false })
            // A composite holds no state of its own: its parts are faults of the catalogue, healed by their kinds.
            .Where(t => t != typeof(CompositeFault));

        var healed = FaultCatalogue.All.SelectMany(k => k.Faults).ToHashSet();

        faults.Where(f => !healed.Contains(f)).Select(f => f.Name).Should().BeEmpty("`multidc heal` must undo every fault a user can inject");
        FaultCatalogue.All.Select(k => k.Name).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task A_full_heal_starts_what_is_stopped_then_unpauses_then_removes_rules_then_confirms_the_pods_and_goes_on_after_a_failure()
    {
        var nodes = new SimulatedNodeContainers();
        var pods = new SimulatedVaultPods();
        var topology = FaultTopologies.ThreeDatacenters();
        var central = new RecordingCentralVaultPower(nodes.Operations);
        pods.Seed("primary", "vault-primary-0");
        pods.Seed("secondary", "vault-secondary-0");
        nodes.MarkStopped("secondary-worker"); // a power cycle left halfway: one node and the KMS still off
        await central.StopAsync(Ct);
        await nodes.PauseAsync("tertiary-control-plane", Ct);
        nodes.Operations.Clear();

        var steps = await new FullHeal(new FaultHealContext(nodes, pods, topology, "default", "kind", central), ex => ex.Message).RunAsync(Ct);

        steps.Select(s => s.Name).Should().Equal(
            "central Vault multidc-test-central-vault running and unsealed",
            "start stopped node containers of primary", "start stopped node containers of secondary", "start stopped node containers of tertiary",
            "unpause primary", "unpause secondary", "unpause tertiary",
            "remove partition rules on primary", "remove partition rules on secondary", "remove partition rules on tertiary",
            "remove latency (netem) on every node",
            "pod vault-primary-0 exists", "pod vault-secondary-0 exists", "pod vault-tertiary-0 exists");
        steps.Where(s => !s.Succeeded).Select(s => s.Name).Should().Equal(["pod vault-tertiary-0 exists"], "only the missing pod fails, and the steps before it all ran");
        steps.Last().ToString().Should().StartWith("[FAIL] pod vault-tertiary-0 exists: pod vault-tertiary-0 does not exist yet");
        nodes.Operations.Take(3).Should().Equal(["start central", "start secondary-worker", "unpause tertiary-control-plane"],
            "the KMS first, then only the stopped node; a paused node is the outage heal's, and every exec comes after both");
        central.Running.Should().BeTrue();
        nodes.IsStopped("secondary-worker").Should().BeFalse();
    }
}
