using FluentAssertions;
using MultiDcVault.Harness.Faults;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Faults;

/// <summary>The power cycle's order, stop, start and address check against simulated nodes, a recording KMS switch and scripted LB reads.</summary>
public sealed class PowerCycleFaultTests
{
    private const string Network = "kind";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Central_first_starts_the_kms_then_the_datacenters_in_plan_order_and_central_last_is_its_exact_reverse()
    {
        string[] plan = ["primary", "secondary", "tertiary"];

        var first = PowerCycleOrder.For(PowerCycleVariant.CentralFirst, plan);
        var last = PowerCycleOrder.For(PowerCycleVariant.CentralLast, plan);

        first.Select(t => t.ToString()).Should().Equal("central Vault", "primary", "secondary", "tertiary");
        last.Select(t => t.ToString()).Should().Equal("tertiary", "secondary", "primary", "central Vault");
        last.Should().Equal(first.Reverse(), "central-last is the exact reverse: the Vaults start before their KMS");
        first[0].IsCentralVault.Should().BeTrue();
        last[^1].IsCentralVault.Should().BeTrue();
    }

    [Fact]
    public void An_order_needs_distinct_datacenters()
    {
        FluentActions.Invoking(() => PowerCycleOrder.For(PowerCycleVariant.CentralFirst, [])).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => PowerCycleOrder.For(PowerCycleVariant.CentralLast, ["primary", "primary"]))
            .Should().Throw<ArgumentException>().WithMessage("*distinct*primary, primary*");
    }

    [Fact]
    public void The_drift_line_names_every_moved_address_in_one_line()
    {
        var check = new PowerAddressCheck(
            [
                new NodeAddressDrift("primary-control-plane", "172.18.0.3", "172.18.0.6"),
                new NodeAddressDrift("tertiary-control-plane", "172.18.0.5", null, "not running"),
                new LoadBalancerDrift("secondary", "172.18.255.201", null, TimeSpan.FromSeconds(120)),
                new LoadBalancerDrift("tertiary", "172.18.255.216", "172.18.255.217", TimeSpan.FromSeconds(3)),
            ],
            NodeAddresses: 3,
            LoadBalancers: 3);

        check.Unchanged.Should().BeFalse();
        check.Summary.Should().Be(
            "addresses changed across the power cycle: node primary-control-plane 172.18.0.3 -> 172.18.0.6; " +
            "node tertiary-control-plane 172.18.0.5 -> none (not running); LB of secondary 172.18.255.201 -> none after 120 s; " +
            "LB of tertiary 172.18.255.216 -> 172.18.255.217");
        check.Summary.Should().NotContain("\n");
        new PowerAddressCheck([], 4, 3).Summary.Should().Be("addresses unchanged across the power cycle (4 node addresses, 3 LB IPs)");
    }

    [Fact]
    public async Task Stop_all_stops_every_node_of_every_datacenter_and_the_central_vault()
    {
        var (nodes, central, _, power) = World();

        await power.StopAllAsync(Ct);

        nodes.Operations.Should().BeEquivalentTo(
            "stop primary-control-plane", "stop secondary-control-plane", "stop secondary-worker", "stop tertiary-control-plane", "stop central");
        central.Running.Should().BeFalse();
        FaultTopologies.ThreeDatacenters().Datacenters.SelectMany(d => d.Nodes).Should().OnlyContain(n => nodes.IsStopped(n.ContainerName));
    }

    [Fact]
    public async Task Stop_all_refuses_before_stopping_anything_when_the_central_vault_could_move()
    {
        var (nodes, _, _, power) = World(fixedAddress: false);

        var refused = await FluentActions.Invoking(() => power.StopAllAsync(Ct)).Should().ThrowAsync<InvalidOperationException>();

        refused.Which.Message.Should().StartWith("Refusing a power cycle: the central Vault multidc-test-central-vault has no fixed address on network kind");
        nodes.Operations.Should().BeEmpty("nothing may be half powered off");
    }

    [Fact]
    public async Task A_failed_stop_still_stops_the_rest_and_names_the_container()
    {
        var (nodes, _, _, power) = World();
        nodes.BrokenContainers.Add("secondary-worker");

        var failed = await FluentActions.Invoking(() => power.StopAllAsync(Ct)).Should().ThrowAsync<InvalidOperationException>();

        failed.Which.Message.Should().Contain("Could not stop node container 'secondary-worker' of datacenter 'secondary'").And.Contain("docker stop secondary-worker");
        nodes.IsStopped("tertiary-control-plane").Should().BeTrue();
        nodes.Operations.Should().Contain("stop central");
    }

    [Theory]
    [InlineData(false, new[] { "start central", "start primary-control-plane", "start secondary-control-plane", "start secondary-worker", "start tertiary-control-plane" })]
    [InlineData(true, new[] { "start tertiary-control-plane", "start secondary-control-plane", "start secondary-worker", "start primary-control-plane", "start central" })]
    public async Task Start_follows_the_variant_one_target_after_the_other(bool centralLast, string[] expected)
    {
        var variant = centralLast ? PowerCycleVariant.CentralLast : PowerCycleVariant.CentralFirst;
        var (nodes, _, _, power) = World();
        await power.StopAllAsync(Ct);
        nodes.Operations.Clear();

        await power.StartAsync(variant, Ct);

        nodes.Operations.Should().Equal(expected);
    }

    [Fact]
    public async Task A_failed_start_does_not_leave_the_rest_off()
    {
        var (nodes, central, _, power) = World();
        await power.StopAllAsync(Ct);
        central.StartFailure = new InvalidOperationException("came back at 172.18.0.9 instead of 172.18.0.250");

        var failed = await FluentActions.Invoking(() => power.StartAsync(PowerCycleVariant.CentralFirst, Ct)).Should().ThrowAsync<InvalidOperationException>();

        failed.Which.Message.Should().Contain("Could not start the central Vault multidc-test-central-vault again: came back at 172.18.0.9");
        FaultTopologies.ThreeDatacenters().Datacenters.SelectMany(d => d.Nodes).Should().OnlyContain(n => !nodes.IsStopped(n.ContainerName));
    }

    [Fact]
    public async Task The_check_reports_nothing_when_every_address_is_back()
    {
        var (nodes, _, lbs, power) = World();

        var check = await power.CheckAddressesAsync(Ct);

        check.Unchanged.Should().BeTrue(check.Summary);
        check.NodeAddresses.Should().Be(4);
        nodes.InspectedNetwork.Should().Be(Network);
        lbs.Reads("secondary").Should().Be(1, "an LB IP that is there at once is not waited for");
    }

    [Fact]
    public async Task The_check_names_a_moved_node_a_stopped_node_and_a_moved_lb_ip()
    {
        var (nodes, _, lbs, power) = World();
        nodes.Addresses["primary-control-plane"] = ("172.18.0.6", null);
        nodes.MarkStopped("tertiary-control-plane");
        lbs.Set("secondary", "172.18.255.209");

        var check = await power.CheckAddressesAsync(Ct);

        check.Drifts.Should().HaveCount(3);
        check.Summary.Should().Be(
            "addresses changed across the power cycle: node primary-control-plane 172.18.0.2 -> 172.18.0.6; " +
            "node tertiary-control-plane 172.18.0.5 -> none (not running); LB of secondary 172.18.255.208 -> 172.18.255.209");
    }

    [Fact]
    public async Task An_lb_ip_not_assigned_again_in_time_is_a_drift_after_the_bounded_wait_not_a_hang()
    {
        await using var time = new VirtualTimeProvider();
        var (_, _, lbs, power) = World(time, new PowerCycleOptions { LoadBalancerWait = TimeSpan.FromSeconds(120), PollInterval = TimeSpan.FromSeconds(2) });
        lbs.Unreachable.Add("secondary"); // its API server never comes back
        lbs.Set("tertiary", null); // its Service never gets an ingress IP again

        var check = await power.CheckAddressesAsync(Ct);

        check.Summary.Should().Be(
            "addresses changed across the power cycle: LB of secondary 172.18.255.208 -> none after 120 s; LB of tertiary 172.18.255.216 -> none after 120 s");
        (time.GetUtcNow() - time.Start).Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(118)).And.BeLessThan(TimeSpan.FromSeconds(125), "the wait is bounded by LoadBalancerWait");
        lbs.Reads("secondary").Should().BeGreaterThan(50, "an API server that refuses is asked again every poll interval");
        lbs.Reads("primary").Should().Be(1);
    }

    [Fact]
    public async Task An_lb_ip_that_comes_back_within_the_wait_is_no_drift()
    {
        await using var time = new VirtualTimeProvider();
        var (_, _, lbs, power) = World(time);
        lbs.Unreachable.Add("secondary");
        using var back = time.CreateTimer(_ => lbs.Unreachable.Remove("secondary"), null, TimeSpan.FromSeconds(30), Timeout.InfiniteTimeSpan);

        var check = await power.CheckAddressesAsync(Ct);

        check.Unchanged.Should().BeTrue(check.Summary);
        (time.GetUtcNow() - time.Start).Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(30)).And.BeLessThan(TimeSpan.FromSeconds(40));
    }

    [Fact]
    public async Task Heal_starts_only_what_is_stopped_central_vault_first_and_names_a_missing_node()
    {
        var (nodes, central, _, power) = World();
        await power.StopAllAsync(Ct);
        await nodes.StartAsync("secondary-control-plane", Ct);
        nodes.MissingContainers.Add("tertiary-control-plane");
        nodes.Operations.Clear();

        var failed = await FluentActions.Invoking(() => power.HealAsync(Ct)).Should().ThrowAsync<InvalidOperationException>();

        nodes.Operations.Should().Equal("start central", "start primary-control-plane", "start secondary-worker");
        central.Running.Should().BeTrue();
        failed.Which.Message.Should().Contain("Node container 'tertiary-control-plane' of datacenter 'tertiary' does not exist");
    }

    private static (SimulatedNodeContainers Nodes, RecordingCentralVaultPower Central, ScriptedLoadBalancers LoadBalancers, PowerCycleFault Power) World(
        TimeProvider? time = null, PowerCycleOptions? options = null, bool fixedAddress = true)
    {
        var topology = FaultTopologies.ThreeDatacenters();
        var nodes = new SimulatedNodeContainers();
        foreach (var node in topology.Datacenters.SelectMany(d => d.Nodes))
        {
            nodes.Addresses[node.ContainerName] = (node.IPv4Address, node.IPv6Address);
        }

        var central = new RecordingCentralVaultPower(nodes.Operations, fixedAddress);
        LoadBalancerAddressRecord[] before = [new("primary", "172.18.255.200"), new("secondary", "172.18.255.208"), new("tertiary", "172.18.255.216")];
        var lbs = new ScriptedLoadBalancers(before.ToDictionary(b => b.Datacenter, b => (string?)b.Address));
        var power = new PowerCycleFault(nodes, topology, Network, before, central, lbs, time ?? TimeProvider.System, options);
        return (nodes, central, lbs, power);
    }
}
