using FluentAssertions;
using MultiDcVault.Harness.Faults;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Faults;

public sealed class PartitionFaultTests
{
    private const string Node = "primary-control-plane";
    private const string KubeProxyRule = "-m comment --comment kubernetes-firewall -j KUBE-FIREWALL";

    private static SimulatedNodeContainers NodesWithKubeProxyRules()
    {
        var nodes = new SimulatedNodeContainers();
        nodes.SeedRule(Node, "iptables", "INPUT", KubeProxyRule);
        nodes.SeedRule(Node, "iptables", "FORWARD", KubeProxyRule);
        return nodes;
    }

    [Fact]
    public async Task Inject_hooks_the_chain_before_existing_rules_and_touches_only_the_isolated_datacenter()
    {
        var nodes = NodesWithKubeProxyRules();
        var fault = new PartitionFault(nodes, FaultTopologies.ThreeDatacenters(), "primary");

        await fault.InjectAsync(TestContext.Current.CancellationToken);

        nodes.Rules(Node, "iptables", "INPUT").Should().Equal("-j MULTIDC-PARTITION", KubeProxyRule);
        nodes.Rules(Node, "iptables", "OUTPUT").Should().Equal("-j MULTIDC-PARTITION");
        nodes.Rules(Node, "iptables", "FORWARD").Should().Equal("-j MULTIDC-PARTITION", KubeProxyRule);
        nodes.Rules(Node, "iptables", PartitionRules.ChainName).Should().HaveCount(12);
        nodes.Execs.Select(e => e.Container).Should().AllBe(Node);
        fault.Description.Should().Be("partition(primary)");
    }

    [Fact]
    public async Task Heal_restores_the_original_rules_and_is_idempotent()
    {
        var nodes = NodesWithKubeProxyRules();
        var fault = new PartitionFault(nodes, FaultTopologies.ThreeDatacenters(), "primary");
        var ct = TestContext.Current.CancellationToken;

        await fault.InjectAsync(ct);
        await fault.HealAsync(ct);
        await fault.HealAsync(ct);

        nodes.ChainExists(Node, "iptables", PartitionRules.ChainName).Should().BeFalse();
        nodes.Rules(Node, "iptables", "INPUT").Should().Equal(KubeProxyRule);
        nodes.Rules(Node, "iptables", "OUTPUT").Should().BeEmpty();
        nodes.Rules(Node, "iptables", "FORWARD").Should().Equal(KubeProxyRule);
    }

    [Fact]
    public async Task Heal_without_inject_succeeds_and_changes_nothing()
    {
        var nodes = NodesWithKubeProxyRules();
        var fault = new PartitionFault(nodes, FaultTopologies.ThreeDatacenters(), "secondary");

        await fault.HealAsync(TestContext.Current.CancellationToken);

        nodes.Execs.Should().HaveCount(10, "five heal commands on each of the two secondary nodes");
        nodes.Rules(Node, "iptables", "INPUT").Should().Equal(KubeProxyRule);
    }

    [Fact]
    public async Task Injecting_twice_leaves_a_single_jump_per_hook()
    {
        var nodes = new SimulatedNodeContainers();
        var fault = new PartitionFault(nodes, FaultTopologies.ThreeDatacenters(), "primary");
        var ct = TestContext.Current.CancellationToken;

        await fault.InjectAsync(ct);
        await fault.InjectAsync(ct);

        nodes.Rules(Node, "iptables", "INPUT").Should().Equal("-j MULTIDC-PARTITION");
        nodes.Rules(Node, "iptables", PartitionRules.ChainName).Should().HaveCount(12);
    }

    [Fact]
    public async Task An_inject_that_fails_halfway_is_reported_with_the_node_and_healed_by_the_scope()
    {
        var nodes = new SimulatedNodeContainers();
        nodes.FailWhenCommandContains["-I FORWARD"] = "iptables: Resource temporarily unavailable.";
        var fault = new PartitionFault(nodes, FaultTopologies.ThreeDatacenters(), "primary");

        var act = () => FaultScope.InjectAsync(fault, TestContext.Current.CancellationToken);

        (await act.Should().ThrowAsync<FaultCommandException>())
            .WithMessage("*-I FORWARD 1 -j MULTIDC-PARTITION*'primary-control-plane'*exit code 1*Resource temporarily unavailable*");
        nodes.Rules(Node, "iptables", "INPUT").Should().BeEmpty("the scope healed the jumps that were already in");
        nodes.Rules(Node, "iptables", "OUTPUT").Should().BeEmpty();
        nodes.ChainExists(Node, "iptables", PartitionRules.ChainName).Should().BeFalse();
    }

    [Fact]
    public async Task A_real_heal_failure_still_tries_every_node_and_is_reported()
    {
        var nodes = new SimulatedNodeContainers();
        var fault = new PartitionFault(nodes, FaultTopologies.ThreeDatacenters(), "secondary");
        var ct = TestContext.Current.CancellationToken;
        await fault.InjectAsync(ct);
        nodes.FailWhenCommandContains["-D OUTPUT"] = "iptables v1.8.9 (legacy): can't initialize iptables table `filter': Permission denied";

        var act = () => fault.HealAsync(ct);

        var thrown = await act.Should().ThrowAsync<AggregateException>();
        // Per node: the OUTPUT jump, and deleting the chain that jump still references.
        thrown.Which.InnerExceptions.Should().HaveCount(4).And.AllBeOfType<FaultCommandException>();
        thrown.Which.InnerExceptions.Select(e => e.Message).Should().Contain(m => m.Contains("'secondary-worker'") && m.Contains("Too many links"));
        nodes.Rules("secondary-worker", "iptables", "INPUT").Should().BeEmpty("the worker was healed as far as possible");
        nodes.Rules("secondary-worker", "iptables", "FORWARD").Should().BeEmpty();
    }
}
