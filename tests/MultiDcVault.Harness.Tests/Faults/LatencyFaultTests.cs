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
        commands[0].IsTolerated(new ExecResult(2, "", "Error: Cannot delete qdisc with handle of zero.")).Should().BeTrue();
        commands[0].IsTolerated(new ExecResult(2, "", "RTNETLINK answers: No such file or directory")).Should().BeTrue();
        commands[0].IsTolerated(new ExecResult(1, "", "RTNETLINK answers: Operation not permitted")).Should().BeFalse();
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

    [Fact]
    public async Task A_kernel_without_netem_gives_an_error_that_says_how_to_fix_it()
    {
        var nodes = new SimulatedNodeContainers();
        nodes.FailWhenCommandContains["netem"] = "Error: Specified qdisc kind is unknown.";
        var fault = new LatencyFault(nodes, FaultTopologies.ThreeDatacenters(), TimeSpan.FromMilliseconds(50), TimeSpan.Zero);

        var act = () => fault.InjectAsync(TestContext.Current.CancellationToken);

        await act.Should().ThrowAsync<FaultCommandException>().WithMessage("*primary-control-plane*Specified qdisc kind is unknown*modprobe sch_netem*");
    }
}
