using FluentAssertions;
using MultiDcVault.Harness.Faults;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Faults;

public sealed class InjectedFaultReaderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_partition_injected_by_another_process_is_found_in_the_nodes_and_is_gone_after_heal()
    {
        var nodes = new SimulatedNodeContainers();
        var topology = FaultTopologies.ThreeDatacenters();
        var partition = new PartitionFault(nodes, topology, "primary");

        await partition.InjectAsync(Ct);
        var during = await InjectedFaultReader.ReadAsync(nodes, topology, Ct);
        await partition.HealAsync(Ct);
        var after = await InjectedFaultReader.ReadAsync(nodes, topology, Ct);

        during.Should().Equal(new InjectedFault("primary", InjectedFaultKind.Partitioned));
        during[0].Reason.Should().Be("partitioned");
        during[0].Advice.Should().Contain("multidc heal");
        after.Should().BeEmpty();
    }

    [Fact]
    public async Task A_paused_datacenter_is_reported_as_paused_without_exec_into_it()
    {
        var nodes = new SimulatedNodeContainers();
        var topology = FaultTopologies.ThreeDatacenters();
        await new DatacenterOutageFault(nodes, topology, "tertiary").InjectAsync(Ct);
        nodes.Execs.Clear();

        var found = await InjectedFaultReader.ReadAsync(nodes, topology, Ct);

        found.Should().Equal(new InjectedFault("tertiary", InjectedFaultKind.Paused));
        nodes.Execs.Should().NotContain(e => e.Container.StartsWith("tertiary", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_chain_left_without_its_hooks_filters_nothing()
    {
        var nodes = new SimulatedNodeContainers();
        var topology = FaultTopologies.ThreeDatacenters();
        nodes.SeedRule("secondary-control-plane", "iptables", "INPUT", "-j KUBE-FIREWALL");
        await nodes.ExecAsync("secondary-control-plane", ["iptables", "-w", "10", "-N", PartitionRules.ChainName], Ct);

        var found = await InjectedFaultReader.ReadAsync(nodes, topology, Ct);

        found.Should().BeEmpty();
    }

    [Fact]
    public async Task A_node_that_cannot_be_read_explains_nothing_and_fails_nothing()
    {
        var nodes = new SimulatedNodeContainers();
        var topology = FaultTopologies.ThreeDatacenters();
        await new PartitionFault(nodes, topology, "secondary").InjectAsync(Ct);

        var found = await InjectedFaultReader.ReadAsync(new ExecFailsFor(nodes, "primary-control-plane"), topology, Ct);

        found.Should().Equal(new InjectedFault("secondary", InjectedFaultKind.Partitioned));
    }

    private sealed class ExecFailsFor(INodeContainers inner, string container) : INodeContainers
    {
        public Task<NodeExecResult> ExecAsync(string name, IReadOnlyList<string> command, CancellationToken cancellationToken) =>
            name == container ? throw new InvalidOperationException("container is restarting") : inner.ExecAsync(name, command, cancellationToken);

        public Task PauseAsync(string name, CancellationToken cancellationToken) => inner.PauseAsync(name, cancellationToken);

        public Task UnpauseAsync(string name, CancellationToken cancellationToken) => inner.UnpauseAsync(name, cancellationToken);

        public Task<bool> IsPausedAsync(string name, CancellationToken cancellationToken) => inner.IsPausedAsync(name, cancellationToken);

        public Task StopAsync(string name, TimeSpan timeout, CancellationToken cancellationToken) => inner.StopAsync(name, timeout, cancellationToken);

        public Task StartAsync(string name, CancellationToken cancellationToken) => inner.StartAsync(name, cancellationToken);

        public Task<NodeContainerState> InspectAsync(string name, string network, CancellationToken cancellationToken) => inner.InspectAsync(name, network, cancellationToken);
    }

    // The shape of `iptables -S` (iptables-save rule syntax) with the partition in place: the hooks PartitionRules
    // inserts at position 1 of INPUT, OUTPUT and FORWARD print as "-A <chain> -j MULTIDC-PARTITION".
    [Fact]
    public void Only_a_jump_from_a_built_in_chain_counts_as_a_partition()
    {
        const string Partitioned = "-P INPUT ACCEPT\n-P FORWARD ACCEPT\n-P OUTPUT ACCEPT\n-N KUBE-FIREWALL\n-N MULTIDC-PARTITION\n" +
                                   "-A INPUT -j MULTIDC-PARTITION\n-A INPUT -j KUBE-FIREWALL\n-A MULTIDC-PARTITION -s 172.18.0.1/32 -j RETURN\n";
        const string ChainOnly = "-P INPUT ACCEPT\n-N MULTIDC-PARTITION\n-A MULTIDC-PARTITION -d 172.18.0.3/32 -j DROP\n";

        InjectedFaultReader.ShowsPartitionHook(Partitioned).Should().BeTrue();
        InjectedFaultReader.ShowsPartitionHook(ChainOnly).Should().BeFalse();
        InjectedFaultReader.ShowsPartitionHook(string.Empty).Should().BeFalse();
    }
}
