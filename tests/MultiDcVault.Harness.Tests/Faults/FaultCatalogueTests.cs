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
    public async Task A_full_heal_unpauses_first_then_removes_rules_then_confirms_the_pods_and_goes_on_after_a_failure()
    {
        var nodes = new SimulatedNodeContainers();
        var pods = new SimulatedVaultPods();
        var topology = FaultTopologies.ThreeDatacenters();
        pods.Seed("primary", "vault-primary-0");
        pods.Seed("secondary", "vault-secondary-0");

        var steps = await new FullHeal(new FaultHealContext(nodes, pods, topology, "default"), ex => ex.Message).RunAsync(Ct);

        steps.Select(s => s.Name).Should().Equal(
            "unpause primary", "unpause secondary", "unpause tertiary",
            "remove partition rules on primary", "remove partition rules on secondary", "remove partition rules on tertiary",
            "remove latency (netem) on every node",
            "pod vault-primary-0 exists", "pod vault-secondary-0 exists", "pod vault-tertiary-0 exists");
        steps.Where(s => !s.Succeeded).Select(s => s.Name).Should().Equal(["pod vault-tertiary-0 exists"], "only the missing pod fails, and the steps before it all ran");
        steps.Last().ToString().Should().StartWith("[FAIL] pod vault-tertiary-0 exists: pod vault-tertiary-0 does not exist yet");
    }
}
