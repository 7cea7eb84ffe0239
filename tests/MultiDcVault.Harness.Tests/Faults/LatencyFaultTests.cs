using FluentAssertions;
using MultiDcVault.Harness.Faults;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Faults;

public sealed class LatencyFaultTests
{
    private static readonly FaultNode[] TwoNodes =
    [
        new("primary-control-plane", "172.18.0.2", null),
        new("secondary-control-plane", "172.18.0.3", null, NetworkInterface: "eth1"),
    ];

    [Fact]
    public void Inject_replaces_the_root_qdisc_with_netem_delay_jitter_and_normal_distribution()
    {
        var commands = LatencyRules.InjectCommands(TwoNodes, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(20));

        commands.Select(c => c.Container).Should().Equal("primary-control-plane", "secondary-control-plane");
        commands[0].Arguments.Should().Equal("tc", "qdisc", "replace", "dev", "eth0", "root", "netem", "delay", "100ms", "20ms", "distribution", "normal");
        commands[1].Arguments.Should().Equal("tc", "qdisc", "replace", "dev", "eth1", "root", "netem", "delay", "100ms", "20ms", "distribution", "normal");
        commands.Should().OnlyContain(c => c.ToleratedErrors.Count == 0);
    }

    [Fact]
    public void Without_jitter_there_is_no_distribution_and_fractions_of_a_millisecond_are_kept()
    {
        var commands = LatencyRules.InjectCommands(TwoNodes.Take(1), TimeSpan.FromMilliseconds(12.5), TimeSpan.Zero);

        commands.Single().Arguments.Should().Equal("tc", "qdisc", "replace", "dev", "eth0", "root", "netem", "delay", "12.5ms");
    }

    [Fact]
    public void Heal_deletes_the_root_qdisc_and_tolerates_there_being_none()
    {
        var commands = LatencyRules.HealCommands(TwoNodes);

        commands[0].Arguments.Should().Equal("tc", "qdisc", "del", "dev", "eth0", "root");
        commands[1].Arguments.Should().Equal("tc", "qdisc", "del", "dev", "eth1", "root");
        commands[0].IsTolerated(new NodeExecResult(2, "", "Error: Cannot delete qdisc with handle of zero.")).Should().BeTrue();
        commands[0].IsTolerated(new NodeExecResult(2, "", "RTNETLINK answers: No such file or directory")).Should().BeTrue();
        commands[0].IsTolerated(new NodeExecResult(1, "", "RTNETLINK answers: Operation not permitted")).Should().BeFalse();
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(50, 60)]
    [InlineData(50, -1)]
    public void Nonsensical_delays_are_rejected(int delayMs, int jitterMs)
    {
        var act = () => LatencyRules.InjectCommands(TwoNodes, TimeSpan.FromMilliseconds(delayMs), TimeSpan.FromMilliseconds(jitterMs));

        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public async Task Fault_delays_every_node_of_the_chosen_datacenters_and_heals_idempotently()
    {
        var nodes = new SimulatedNodeContainers();
        var fault = new LatencyFault(nodes, FaultTopologies.ThreeDatacenters(), TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(5), ["secondary"]);
        var ct = TestContext.Current.CancellationToken;

        await fault.HealAsync(ct);
        await fault.InjectAsync(ct);
        await fault.InjectAsync(ct);

        nodes.RootQdisc("secondary-control-plane", "eth0").Should().Be("netem delay 50ms 5ms distribution normal");
        nodes.RootQdisc("secondary-worker", "eth0").Should().Be("netem delay 50ms 5ms distribution normal");
        nodes.RootQdisc("primary-control-plane", "eth0").Should().BeNull();

        await fault.HealAsync(ct);
        await fault.HealAsync(ct);

        nodes.RootQdisc("secondary-control-plane", "eth0").Should().BeNull();
        nodes.RootQdisc("secondary-worker", "eth0").Should().BeNull();
        fault.Description.Should().Be("latency(50ms±5ms on secondary)");
    }

    // What tc prints without netem: the kernel's extack text in torvalds/linux net/sched/sch_api.c qdisc_create
    // ("Specified qdisc not found", reworded to "Specified qdisc kind is unknown" in 6.4), plain ENOENT without
    // extack, and a tc built without the netem module.
    [Theory]
    [InlineData("Error: Specified qdisc kind is unknown.")]
    [InlineData("Error: Specified qdisc not found.")]
    [InlineData("RTNETLINK answers: No such file or directory")]
    [InlineData("Unknown qdisc \"netem\", hence option \"delay\" is unparsable")]
    public async Task A_kernel_without_netem_fails_in_one_line_naming_the_module_and_the_fix_before_other_nodes_are_touched(string tcError)
    {
        var nodes = new SimulatedNodeContainers();
        nodes.FailWhenCommandContains["netem"] = tcError;
        var fault = new LatencyFault(nodes, FaultTopologies.ThreeDatacenters(), TimeSpan.FromMilliseconds(50), TimeSpan.Zero);

        var act = () => fault.InjectAsync(TestContext.Current.CancellationToken);

        var error = (await act.Should().ThrowAsync<NetemUnavailableException>()).Which;
        error.Message.Should().Contain("sch_netem").And.Contain("sudo modprobe sch_netem").And.Contain("linux-modules-extra-$(uname -r)")
            .And.Contain("primary-control-plane").And.NotContain("\n");
        error.InnerException.Should().BeNull("the CLI prints inner messages too, and the error must stay one line");
        nodes.Execs.Should().ContainSingle("the first node's command is the check; no other node was touched");
    }

    [Fact]
    public async Task Other_tc_failures_are_not_blamed_on_netem()
    {
        var nodes = new SimulatedNodeContainers();
        nodes.FailWhenCommandContains["netem"] = "Cannot find device \"eth0\"";
        var fault = new LatencyFault(nodes, FaultTopologies.ThreeDatacenters(), TimeSpan.FromMilliseconds(50), TimeSpan.Zero);

        var act = () => fault.InjectAsync(TestContext.Current.CancellationToken);

        (await act.Should().ThrowAsync<FaultCommandException>()).Which.Message.Should().Contain("Cannot find device").And.NotContain("modprobe");
    }
}
