using MultiDcVault.Harness.Clusters.Docker;
using MultiDcVault.Harness.Configuration;
using System.Net.Sockets;
using System.Net;
using FluentAssertions;
using MultiDcVault.Harness.Infrastructure.Docker;
using MultiDcVault.Harness.Planning;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Infrastructure.Docker;

[Trait("Category", "Docker")]
public sealed class DockerNetworkTests
{
    [Fact]
    public async Task Ipv4_network_layout_has_the_subnet_gateway_and_the_attached_containers_address()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var session = await DockerTestSession.StartAsync(ct);
        var network = await session.CreateNetworkAsync("v4", dualStack: false, ct);
        var fixedIp = network.Ipv4.Gateway![..^1] + "10";
        await session.RunSleeperAsync("v4-member", ct, spec => spec with { Network = network.Name, Ipv4Address = fixedIp });

        var layout = await new DockerNetworkInspector(session.Docker).ReadLayoutAsync(network.Name, ct);

        layout.Name.Should().Be(network.Name);
        layout.Subnets.Should().Equal(new IpamSubnet(network.Ipv4.Subnet, network.Ipv4.Gateway));
        layout.UsedAddresses.Should().Equal(fixedIp);
    }

    [Fact]
    public async Task Dual_stack_network_layout_has_both_families_and_both_addresses_of_a_container()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var session = await DockerTestSession.StartAsync(ct);
        (string Name, NetworkSubnet Ipv4, NetworkSubnet? Ipv6) network;
        try
        {
            network = await session.CreateNetworkAsync("v6", dualStack: true, ct);
        }
        catch (DockerApiException e) when (e.DaemonMessage.Contains("IPv6", StringComparison.OrdinalIgnoreCase))
        {
            // User-defined bridge networks get IPv6 without daemon flags on 20.10+, but a host with
            // IPv6 disabled in the kernel refuses; that is the machine's limit, not our bug.
            Assert.Skip($"The Docker daemon refuses IPv6 networks on this host: {e.DaemonMessage}");
            throw;
        }

        var id = await session.RunSleeperAsync("v6-member", ct, spec => spec with { Network = network.Name });
        var endpoint = (await session.Docker.Containers.InspectAsync(id, ct)).NetworkSettings!.Networks![network.Name];

        var layout = await new DockerNetworkInspector(session.Docker).ReadLayoutAsync(network.Name, ct);

        layout.Subnets.Should().HaveCount(2);
        layout.Subnets.Should().ContainSingle(s => s.Subnet == network.Ipv4.Subnet).Which.Gateway.Should().Be(network.Ipv4.Gateway);
        layout.Subnets.Should().ContainSingle(s => s.Subnet == network.Ipv6!.Subnet);
        endpoint.IPAddress.Should().NotBeNullOrEmpty();
        endpoint.GlobalIPv6Address.Should().NotBeNullOrEmpty();
        IPAddress.Parse(endpoint.GlobalIPv6Address!).AddressFamily.Should().Be(AddressFamily.InterNetworkV6);
        layout.UsedAddresses.Should().BeEquivalentTo([endpoint.IPAddress, endpoint.GlobalIPv6Address]);
    }

    [Fact]
    public async Task Connect_with_a_fixed_ip_then_disconnect()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var session = await DockerTestSession.StartAsync(ct);
        var network = await session.CreateNetworkAsync("attach", dualStack: false, ct);
        var id = await session.RunSleeperAsync("roamer", ct);
        var fixedIp = network.Ipv4.Gateway![..^1] + "20";

        await session.Docker.Networks.ConnectAsync(network.Name, id, fixedIp, ct);

        var connected = await session.Docker.Containers.InspectAsync(id, ct);
        connected.NetworkSettings!.Networks![network.Name].IPAddress.Should().Be(fixedIp);
        var seenFromInside = await session.Docker.Exec.RunAsync(id, ["ip", "-4", "-o", "addr"], null, ct);
        seenFromInside.Stdout.Should().Contain(fixedIp + "/24");
        (await new DockerNetworkInspector(session.Docker).ReadLayoutAsync(network.Name, ct)).UsedAddresses.Should().Equal(fixedIp);

        await session.Docker.Networks.DisconnectAsync(network.Name, id, force: false, ct);

        (await session.Docker.Containers.InspectAsync(id, ct)).NetworkSettings!.Networks.Should().NotContainKey(network.Name);
        (await new DockerNetworkInspector(session.Docker).ReadLayoutAsync(network.Name, ct)).UsedAddresses.Should().BeEmpty();
    }

    [Fact]
    public async Task Ensure_network_creates_once_then_reuses_and_says_which()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var session = await DockerTestSession.StartAsync(ct);
        var inspector = new DockerNetworkInspector(session.Docker);
        var name = session.Name("ensure");

        var (created, wasCreated) = await inspector.EnsureNetworkAsync(name, null, session.Labels("shared-network"), ct);
        var (again, wasCreatedAgain) = await inspector.EnsureNetworkAsync(name, null, session.Labels("shared-network"), ct);

        wasCreated.Should().BeTrue();
        wasCreatedAgain.Should().BeFalse();
        again.ID.Should().Be(created.ID);
        created.Driver.Should().Be("bridge");
        created.Labels.Should().Contain(HarnessLabels.Role, "shared-network");
        created.IPAM.Config!.Should().NotBeNullOrEmpty("Docker picks a subnet when none is given");
    }

    [Fact]
    public async Task A_network_created_without_a_subnet_still_takes_a_fixed_container_address()
    {
        // Docker refuses --ip on a network whose subnet it chose itself; the harness pins the subnet it was given.
        var ct = TestContext.Current.CancellationToken;
        await using var session = await DockerTestSession.StartAsync(ct);
        var (created, _) = await new DockerNetworkInspector(session.Docker).EnsureNetworkAsync(session.Name("pinned"), null, session.Labels("shared-network"), ct);
        var ipv4 = created.IPAM.Config!.First(c => !c.Subnet.Contains(':', StringComparison.Ordinal));
        IpNetwork.TryParse(ipv4.Subnet, out var subnet, out _).Should().BeTrue();
        var fixedIp = IpAddresses.Format(subnet!.Last - 1, subnet.Family);

        var id = await session.RunSleeperAsync("fixed", ct, spec => spec with { Network = created.Name, Ipv4Address = fixedIp });

        var endpoint = (await session.Docker.Containers.InspectAsync(id, ct)).NetworkSettings!.Networks![created.Name];
        endpoint.IPAddress.Should().Be(fixedIp);
        endpoint.IPAMConfig!.IPv4Address.Should().Be(fixedIp);
        (await session.Docker.Networks.ListAsync(HarnessLabels.SessionFilter(session.SessionId), ct)).Select(n => n.Name)
            .Should().Equal([created.Name], "the network Docker picked the subnet on is gone");
    }

    [Fact]
    public async Task Networks_are_listed_by_label_and_removed()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var session = await DockerTestSession.StartAsync(ct);
        var network = await session.CreateNetworkAsync("listed", dualStack: false, ct);

        var listed = await session.Docker.Networks.ListAsync(HarnessLabels.SessionFilter(session.SessionId), ct);
        listed.Select(n => n.Name).Should().Equal(network.Name);

        (await session.Docker.Networks.RemoveAsync(network.Name, ct)).Should().BeTrue();
        (await session.Docker.Networks.TryInspectAsync(network.Name, ct)).Should().BeNull();
        (await session.Docker.Networks.RemoveAsync(network.Name, ct)).Should().BeFalse();
    }
}
