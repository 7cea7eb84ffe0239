using FluentAssertions;
using MultiDcVault.Harness.Faults;
using MultiDcVault.Harness.Planning.Manifests;
using MultiDcVault.Harness.Tests.Planning.Manifests;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;
using static MultiDcVault.Harness.Tests.Planning.Manifests.ManifestTestData;

namespace MultiDcVault.Harness.Tests.UpstreamFacts;

/// <summary>
/// What kind does when its node containers are stopped and started again, read at kubernetes-sigs/kind v0.32.0, and what the power
/// cycle does about it. Files: pkg/cluster/internal/providers/docker/provision.go, images/base/Dockerfile,
/// images/base/files/usr/local/bin/entrypoint, pkg/cluster/internal/providers/docker/provider.go.
/// </summary>
public sealed class KindRestartFacts
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // kubernetes-sigs/kind v0.32.0 pkg/cluster/internal/providers/docker/provision.go (commonArgs): "--restart=on-failure:1", chosen so that
    // a node comes back after a host or dockerd restart only; a `docker stop`ped node is never started again by the engine. So whatever
    // stopped the nodes, the harness must start them: the full heal does, first, before any heal that execs into a node.
    [Fact]
    public async Task A_docker_stopped_node_stays_stopped_so_the_full_heal_starts_it_before_any_exec()
    {
        FaultCatalogue.All[0].Should().BeSameAs(FaultCatalogue.PowerCycle);
        var nodes = new SimulatedNodeContainers();
        var central = new RecordingCentralVaultPower(nodes.Operations);
        nodes.MarkStopped("primary-control-plane");

        var steps = await new FullHeal(
            new FaultHealContext(nodes, new SimulatedVaultPods(), FaultTopologies.ThreeDatacenters(), "default", "kind", central),
            ex => ex.Message).RunAsync(Ct);

        nodes.IsStopped("primary-control-plane").Should().BeFalse();
        nodes.Operations.IndexOf("start primary-control-plane").Should().BeLessThan(nodes.Operations.FindIndex(o => o.StartsWith("exec ", StringComparison.Ordinal)));
        steps.Should().Contain(s => s.Name == "start stopped node containers of primary" && s.Succeeded);
    }

    // kubernetes-sigs/kind v0.32.0 images/base/Dockerfile: "STOPSIGNAL SIGRTMIN+3" (systemd halts on it; SIGTERM would re-execute it), kept
    // by the node image's `docker commit` (pkg/build/nodeimage/buildcontext.go changes only ENTRYPOINT and ENV); provision.go passes no
    // --stop-timeout, so a plain `docker stop` gives a node Docker's default 10 s before SIGKILL. The power cycle gives the same.
    [Fact]
    public void The_stop_grace_is_what_a_plain_docker_stop_gives_a_kind_node()
    {
        new PowerCycleOptions().StopTimeout.Should().Be(TimeSpan.FromSeconds(10));
    }

    // kubernetes-sigs/kind v0.32.0 provision.go (commonArgs, runArgsForNode): a node joins the network with "--net <network>" and no "--ip",
    // and the v1alpha4 Node type has no address field: Docker picks a node's address at every start. So the power cycle records every
    // node's address before and compares after; the rendered cluster config asks for no address either.
    [Fact]
    public void Kind_nodes_have_no_fixed_address_so_the_power_cycle_compares_every_one()
    {
        var plan = Plan();
        foreach (var cluster in plan.Clusters)
        {
            var config = (Dictionary<string, object?>)YamlObjects.ParseSingle(new ManifestRenderer().RenderKindConfig(plan, cluster).Content)!;
            config.List("nodes").Cast<Dictionary<string, object?>>().Single().Keys.Should().BeEquivalentTo("role", "image");
            config.Should().NotContainKey("networking", "kind's defaults; nothing pins an address");
        }

        var topology = FaultTopologies.ThreeDatacenters(dualStack: true);
        var power = new PowerCycleFault(
            new SimulatedNodeContainers(), topology, "kind", [], new RecordingCentralVaultPower([]), new ScriptedLoadBalancers(new Dictionary<string, string?>()), TimeProvider.System);
        power.Before.Nodes.Select(n => (n.Container, n.IPv4Address, n.IPv6Address)).Should().Equal(
            topology.Datacenters.SelectMany(d => d.Nodes).Select(n => (n.ContainerName, n.IPv4Address, n.IPv6Address)));
    }

    // kubernetes-sigs/kind v0.32.0 images/base/files/usr/local/bin/entrypoint (enable_network_magic, fix_certificate): at start the node reads
    // its address (getent ahostsv4/ahostsv6 of its hostname, from the /etc/hosts Docker writes), rewrites the one it recorded in /kind/old-ipv4
    // (and old-ipv6) in the control-plane manifests, controller-manager.conf, scheduler.conf, kubelet.conf, /kind/kubeadm.conf and
    // /var/lib/kubelet/kubeadm-flags.env (the kubelet's --node-ip), and regenerates the API server certificate. It moves only the node's own
    // address; other nodes reach the control plane by hostname (provider.go GetAPIServerInternalEndpoint), and several control planes do not
    // survive a new address (kind issue #1689, open). Each datacenter here is one control-plane node, the case the entrypoint handles, so a
    // changed node address leaves Kubernetes working; the power cycle still reports it, because the fault topology's rules name node addresses.
    [Fact]
    public async Task Each_cluster_is_the_single_node_kinds_entrypoint_can_move_and_a_moved_node_address_is_still_reported()
    {
        var plan = Plan();
        foreach (var cluster in plan.Clusters)
        {
            var config = (Dictionary<string, object?>)YamlObjects.ParseSingle(new ManifestRenderer().RenderKindConfig(plan, cluster).Content)!;
            config.List("nodes").Cast<Dictionary<string, object?>>().Select(n => n["role"]).Should().Equal(["control-plane"], "one control plane, no workers");
        }

        var nodes = new SimulatedNodeContainers();
        nodes.Addresses["primary-control-plane"] = ("172.18.0.9", null);
        var topology = new FaultTopology([new FaultDatacenter("primary", [new FaultNode("primary-control-plane", "172.18.0.2", null)], [])], ["172.18.0.1"]);
        var power = new PowerCycleFault(
            nodes, topology, "kind", [], new RecordingCentralVaultPower([]), new ScriptedLoadBalancers(new Dictionary<string, string?>()), TimeProvider.System);

        (await power.CheckAddressesAsync(Ct)).Summary.Should().Be("addresses changed across the power cycle: node primary-control-plane 172.18.0.2 -> 172.18.0.9");
    }
}
