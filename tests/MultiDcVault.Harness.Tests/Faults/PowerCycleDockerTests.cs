using System.Diagnostics;
using FluentAssertions;
using MultiDcVault.Harness.Clusters.Docker;
using MultiDcVault.Harness.Clusters.Kind;
using MultiDcVault.Harness.Faults;
using MultiDcVault.Harness.Infrastructure.Docker;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Faults;

/// <summary>
/// The power cycle against the real engine, with busybox sleepers on a labelled network standing in for kind nodes (no fixed
/// address, as kind creates them) and for the central Vault (a fixed address, as the harness creates it), through the real
/// <see cref="DockerNodeContainers"/>. LB IPs come from Kubernetes, not Docker, so they are scripted here and unchanged.
/// </summary>
[Trait("Category", "Docker")]
public sealed class PowerCycleDockerTests
{
    // busybox `sleep` as PID 1 ignores SIGTERM, so every stop takes the whole grace: stopping in turn would take one grace per container.
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(1);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_node_started_after_another_container_took_its_freed_address_is_reported_in_one_line()
    {
        await using var session = await DockerTestSession.StartAsync(Ct);
        var world = await World.CreateAsync(session, fixedNodeAddresses: false);
        var (first, second, third) = (world.Topology.Datacenters[0].Nodes[0], world.Topology.Datacenters[1].Nodes[0], world.Topology.Datacenters[2].Nodes[0]);
        new[] { first, second, third }.Should().OnlyContain(n => n.IPv4Address != null, "a running container on the network has an address");

        var watch = Stopwatch.StartNew();
        await world.Power.StopAllAsync(Ct);
        watch.Stop();

        foreach (var node in world.Topology.Datacenters.SelectMany(d => d.Nodes))
        {
            var stopped = await world.Nodes.InspectAsync(node.ContainerName, world.Network, Ct);
            stopped.Should().Be(new NodeContainerState(true, false, false, null, null), $"{node.ContainerName} is stopped and Docker released its address");
        }

        (await session.Docker.Containers.InspectAsync(world.CentralName, Ct)).State!.Running.Should().BeFalse();
        watch.Elapsed.Should().BeLessThan(Grace * 3.5, "the four stops run at once, each taking the whole grace");

        // Reverse order (central last), and between the first two starts another container takes a freed address: one the first
        // container started did not get (on this engine it takes the lowest free one, which may be another node's old address).
        var order = world.Power.Order(PowerCycleVariant.CentralLast);
        await world.Power.StartAsync([order[0]], Ct);
        var firstStarted = await world.Nodes.InspectAsync(third.ContainerName, world.Network, Ct);
        var taken = new[] { first, second, third }.First(n => n.IPv4Address != firstStarted.IPv4Address);
        await session.RunSleeperAsync("interloper", Ct, spec => spec with { Network = world.Network, Ipv4Address = taken.IPv4Address });
        await world.Power.StartAsync([.. order.Skip(1)], Ct);

        var check = await world.Power.CheckAddressesAsync(Ct);

        var after = new Dictionary<string, string?>();
        foreach (var node in new[] { first, second, third })
        {
            after[node.ContainerName] = (await world.Nodes.InspectAsync(node.ContainerName, world.Network, Ct)).IPv4Address;
        }

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"before: {first.IPv4Address}, {second.IPv4Address}, {third.IPv4Address}; interloper at {taken.IPv4Address}; " +
            $"after: {string.Join(", ", after.Values)}; {check.Summary}");
        after.Values.Should().OnlyContain(ip => ip != null, "every node runs again");
        after[taken.ContainerName].Should().NotBe(taken.IPv4Address, "its old address is the interloper's");
        check.Unchanged.Should().BeFalse();
        check.Drifts.Should().ContainEquivalentOf(new NodeAddressDrift(taken.ContainerName, taken.IPv4Address!, after[taken.ContainerName]));
        check.Summary.Should().StartWith("addresses changed across the power cycle: ")
            .And.Contain($"node {taken.ContainerName} {taken.IPv4Address} -> {after[taken.ContainerName]}")
            .And.NotContain("\n");
        check.Drifts.OfType<NodeAddressDrift>().Select(d => d.Container).Should().BeEquivalentTo(
            after.Where(a => a.Value != new[] { first, second, third }.Single(n => n.ContainerName == a.Key).IPv4Address).Select(a => a.Key),
            "exactly the nodes whose address moved are named");
        check.Drifts.OfType<LoadBalancerDrift>().Should().BeEmpty();
    }

    [Fact]
    public async Task A_power_cycle_that_gives_every_container_its_address_back_reports_no_drift()
    {
        await using var session = await DockerTestSession.StartAsync(Ct);
        var world = await World.CreateAsync(session, fixedNodeAddresses: true);

        await world.Power.StopAllAsync(Ct);
        await world.Power.StartAsync(PowerCycleVariant.CentralFirst, Ct);
        var check = await world.Power.CheckAddressesAsync(Ct);

        check.Unchanged.Should().BeTrue(check.Summary);
        check.Summary.Should().Be("addresses unchanged across the power cycle (3 node addresses, 3 LB IPs)");
        (await session.Docker.Containers.InspectAsync(world.CentralName, Ct)).State!.Running.Should().BeTrue();
    }

    [Fact]
    public async Task Heal_starts_the_stopped_containers_again_and_leaves_running_ones_alone()
    {
        await using var session = await DockerTestSession.StartAsync(Ct);
        var world = await World.CreateAsync(session, fixedNodeAddresses: true);
        var running = world.Topology.Datacenters[1].Nodes[0].ContainerName;
        var startedAt = (await session.Docker.Containers.InspectAsync(running, Ct)).State!.StartedAt;
        await world.Nodes.StopAsync(world.Topology.Datacenters[0].Nodes[0].ContainerName, Grace, Ct);
        await session.Docker.Containers.StopAsync(world.CentralName, Grace, Ct);

        await world.Power.HealAsync(Ct);

        foreach (var node in world.Topology.Datacenters.SelectMany(d => d.Nodes))
        {
            (await world.Nodes.InspectAsync(node.ContainerName, world.Network, Ct)).Running.Should().BeTrue(node.ContainerName);
        }

        (await session.Docker.Containers.InspectAsync(world.CentralName, Ct)).State!.Running.Should().BeTrue();
        (await session.Docker.Containers.InspectAsync(running, Ct)).State!.StartedAt.Should().Be(startedAt, "a running node is not restarted");
    }

    private sealed record World(string Network, string CentralName, FaultTopology Topology, DockerNodeContainers Nodes, PowerCycleFault Power)
    {
        public static async Task<World> CreateAsync(DockerTestSession session, bool fixedNodeAddresses)
        {
            var (network, ipv4, _) = await session.CreateNetworkAsync("power", dualStack: false, Ct);
            var prefix = ipv4.Subnet[..ipv4.Subnet.LastIndexOf('.')];
            var central = session.Name("central");
            await session.RunSleeperAsync("central", Ct, spec => spec with { Network = network, Ipv4Address = $"{prefix}.200" });
            string[] datacenters = ["dc1", "dc2", "dc3"];
            for (var i = 0; i < datacenters.Length; i++)
            {
                await session.RunSleeperAsync($"{datacenters[i]}-control-plane", Ct, spec => spec with
                {
                    Network = network,
                    Ipv4Address = fixedNodeAddresses ? $"{prefix}.{50 + i}" : null,
                });
            }

#pragma warning disable CA2000 // the connection lives as long as the test's session, which disposes the engine client
            var nodes = new DockerNodeContainers(new DockerConnection(_ => Task.FromResult(session.Docker)));
#pragma warning restore CA2000
            var dcs = new List<FaultDatacenter>();
            foreach (var dc in datacenters)
            {
                var name = session.Name($"{dc}-control-plane");
                var state = await nodes.InspectAsync(name, network, Ct);
                dcs.Add(new FaultDatacenter(dc, [new FaultNode(name, state.IPv4Address, state.IPv6Address)], []));
            }

            var topology = new FaultTopology(dcs, [ipv4.Gateway!]);
            LoadBalancerAddressRecord[] lbs = [new("dc1", $"{prefix}.250"), new("dc2", $"{prefix}.251"), new("dc3", $"{prefix}.252")];
            var power = new PowerCycleFault(
                nodes,
                topology,
                network,
                lbs,
                new SleeperCentralVault(session.Docker, central),
                new ScriptedLoadBalancers(lbs.ToDictionary(l => l.Datacenter, l => (string?)l.Address)),
                TimeProvider.System,
                new PowerCycleOptions { StopTimeout = Grace });
            return new World(network, central, topology, nodes, power);
        }
    }

    /// <summary>The central Vault's switch over a fixed-address sleeper (the real one also unseals; that is CentralVault's, tested there).</summary>
    private sealed class SleeperCentralVault(DockerClient docker, string name) : ICentralVaultPower
    {
        public string ContainerName => name;

        public bool FixedAddress => true;

        public Task StopAsync(CancellationToken cancellationToken) => docker.Containers.StopAsync(name, Grace, cancellationToken);

        public Task StartAsync(CancellationToken cancellationToken) => docker.Containers.StartAsync(name, cancellationToken);
    }
}
