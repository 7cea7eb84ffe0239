using FluentAssertions;
using MultiDcVault.Harness.Configuration;
using MultiDcVault.Harness.Preflight;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Preflight;

/// <summary>The doctor's Docker and subnet lines against the real engine.</summary>
[Trait("Category", "Docker")]
public sealed class DoctorDockerChecksTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_docker_line_names_the_engine_version_and_the_endpoint()
    {
        await using var session = await DockerTestSession.StartAsync(Ct);
        var version = await session.Docker.VersionAsync(Ct);

        var check = await DockerEngineCheck.RunAsync(session.Docker, DockerEngineCheck.DefaultTimeout, TimeProvider.System, Ct);

        check.Status.Should().Be(PreflightStatus.Ok);
        check.Detail.Should().Contain($"Docker Engine {version.Version}").And.Contain(session.Docker.Endpoint.ToString())
            .And.Contain($"API {session.Docker.ServerApiVersion}");
    }

    [Fact]
    public async Task An_existing_network_is_checked_for_room_for_the_pools()
    {
        await using var session = await DockerTestSession.StartAsync(Ct);
        await using var network = await TestContainers.CreateNetworkAsync(session, "doctor", dualStack: false, Ct);
        var options = new MultiDcOptions { NetworkName = network.Name };

        var fits = await SubnetCheck.RunAsync(session.Docker, options, [], Ct);
        var tooMany = await SubnetCheck.RunAsync(session.Docker, options with { PoolSize = 100 }, [], Ct);

        fits.Status.Should().Be(PreflightStatus.Ok, fits.ToLine());
        fits.Detail.Should().Contain($"network '{network.Name}' ({network.Ipv4.Subnet}) has room for 3 pools of 8");
        tooMany.Status.Should().Be(PreflightStatus.Fail, "three pools of 100 cannot fit a /24");
        tooMany.Fix.Should().Be(SubnetCheck.Fix);
    }

    [Fact]
    public async Task A_subnet_for_a_new_network_that_overlaps_an_existing_one_fails_and_one_clear_of_it_passes()
    {
        await using var session = await DockerTestSession.StartAsync(Ct);
        await using var existing = await TestContainers.CreateNetworkAsync(session, "taken", dualStack: false, Ct);
        var fresh = new MultiDcOptions { NetworkName = session.Name("not-created") };

        var overlapping = await SubnetCheck.RunAsync(session.Docker, fresh with { NetworkSubnet = existing.Ipv4.Subnet }, [], Ct);
        var clear = await SubnetCheck.RunAsync(session.Docker, fresh with { NetworkSubnet = "10.215.7.0/24" }, [], Ct);

        overlapping.Status.Should().Be(PreflightStatus.Fail);
        overlapping.Detail.Should().Contain($"overlaps Docker network '{existing.Name}' ({existing.Ipv4.Subnet})");
        clear.Status.Should().Be(PreflightStatus.Ok, clear.ToLine());
    }

    [Fact]
    public async Task A_subnet_that_shadows_a_host_route_warns_and_docker_bridges_do_not_count()
    {
        await using var session = await DockerTestSession.StartAsync(Ct);
        var options = new MultiDcOptions { NetworkName = session.Name("not-created"), NetworkSubnet = "10.216.0.0/24" };
        IpNetwork.TryParse("10.216.0.0/16", out var vpn, out _);

        var viaVpn = await SubnetCheck.RunAsync(session.Docker, options, [new SubnetCheck.HostRoute(vpn!, "tun0")], Ct);
        var viaBridge = await SubnetCheck.RunAsync(session.Docker, options, [new SubnetCheck.HostRoute(vpn!, "br-0123456789ab")], Ct);

        viaVpn.Status.Should().Be(PreflightStatus.Warn);
        viaVpn.Detail.Should().Contain("overlaps the host route 10.216.0.0/16 via tun0");
        viaBridge.Status.Should().Be(PreflightStatus.Ok, viaBridge.ToLine());
    }

    [Fact]
    public async Task Without_a_network_or_a_subnet_the_subnet_line_is_skipped_saying_what_is_missing()
    {
        await using var session = await DockerTestSession.StartAsync(Ct);

        var check = await SubnetCheck.RunAsync(session.Docker, new MultiDcOptions { NetworkName = session.Name("absent") }, [], Ct);

        check.Status.Should().Be(PreflightStatus.Skip);
        check.Detail.Should().Contain("does not exist yet").And.Contain("MULTIDC_NETWORK_SUBNET");
    }

    [Fact]
    public void Linux_routes_are_read_from_proc_net_route_format()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file,
                "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n" +
                "eth0\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n" +
                "eth0\t0001A8C0\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0\n" +
                "docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0\n");

            var routes = SubnetCheck.ReadLinuxRoutes(file);

            routes.Select(r => $"{r.Destination} {r.Interface}").Should().Equal("0.0.0.0/0 eth0", "192.168.1.0/24 eth0", "172.17.0.0/16 docker0");
        }
        finally
        {
            File.Delete(file);
        }
    }
}
