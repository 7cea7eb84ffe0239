using FluentAssertions;
using MultiDcVault.Harness.Faults;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Faults;

public sealed class DatacenterOutageFaultTests
{
    [Fact]
    public async Task Inject_pauses_every_node_of_the_datacenter_and_nothing_else_then_heal_unpauses_them()
    {
        var nodes = new SimulatedNodeContainers();
        var fault = new DatacenterOutageFault(nodes, FaultTopologies.ThreeDatacenters(), "secondary");
        var ct = TestContext.Current.CancellationToken;

        await fault.InjectAsync(ct);

        nodes.Operations.Should().Equal("pause secondary-control-plane", "pause secondary-worker");
        nodes.IsPaused("primary-control-plane").Should().BeFalse();

        await fault.HealAsync(ct);

        nodes.Operations.Should().Equal("pause secondary-control-plane", "pause secondary-worker", "unpause secondary-control-plane", "unpause secondary-worker");
        nodes.IsPaused("secondary-control-plane").Should().BeFalse();
        nodes.IsPaused("secondary-worker").Should().BeFalse();
    }

    [Fact]
    public async Task Heal_twice_or_without_inject_unpauses_nothing_that_is_not_paused()
    {
        var nodes = new SimulatedNodeContainers();
        var fault = new DatacenterOutageFault(nodes, FaultTopologies.ThreeDatacenters(), "secondary");
        var ct = TestContext.Current.CancellationToken;

        await fault.HealAsync(ct);
        nodes.Operations.Should().BeEmpty();

        await fault.InjectAsync(ct);
        await fault.InjectAsync(ct);
        await nodes.UnpauseAsync("secondary-worker", ct); // someone unpaused one node by hand
        await fault.HealAsync(ct);
        await fault.HealAsync(ct);

        nodes.Operations.Where(o => o.StartsWith("unpause", StringComparison.Ordinal))
            .Should().Equal("unpause secondary-worker", "unpause secondary-control-plane");
    }

    [Fact]
    public async Task A_node_that_cannot_be_unpaused_does_not_stop_the_others_and_the_error_says_what_to_run()
    {
        var nodes = new SimulatedNodeContainers();
        var fault = new DatacenterOutageFault(nodes, FaultTopologies.ThreeDatacenters(), "secondary");
        var ct = TestContext.Current.CancellationToken;
        await fault.InjectAsync(ct);
        nodes.BrokenContainers.Add("secondary-control-plane");

        var act = () => fault.HealAsync(ct);

        await act.Should().ThrowAsync<InvalidOperationException>().WithMessage("*docker unpause secondary-control-plane*");
        nodes.IsPaused("secondary-worker").Should().BeFalse();
    }
}
