using System.Net;
using FluentAssertions;
using MultiDcVault.Harness.Planning;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Cli;

/// <summary><c>multidc plan</c> without <c>--subnet</c> reads a real Docker network.</summary>
[Trait("Category", "Docker")]
public sealed class PlanFromDockerTests : IDisposable
{
    private readonly string _out = Path.Combine(Path.GetTempPath(), "multidc-plan-docker-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_out))
        {
            Directory.Delete(_out, recursive: true);
        }
    }

    [Fact]
    public async Task Plan_without_subnet_carves_pools_from_the_real_network_and_skips_its_containers()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var session = await DockerTestSession.StartAsync(ct);
        await using var created = await TestContainers.CreateNetworkAsync(session, "plan", dualStack: true, ct);
        var (network, ipv4, ipv6) = (created.Name, created.Ipv4, created.Ipv6);
        // A container at the very top of the subnet, where the first pool would otherwise start.
        var prefix = ipv4.Subnet[..ipv4.Subnet.LastIndexOf('.')];
        var squatter = $"{prefix}.254";
        await using var squatting = await TestContainers.StartSleeperAsync(session, "squatter", ct, b => b.WithIpv4Address(network, squatter));

        var result = await MultidcProcess.RunAsync(["plan", "--out", _out, "--network", network], null, ct);

        result.ExitCode.Should().Be(0, result.StandardError);
        var plan = PlanWriter.Read(await File.ReadAllTextAsync(Path.Combine(_out, "plan.json"), ct));
        plan.Network!.Subnets.Select(s => s.Subnet).Should().BeEquivalentTo(new[] { ipv4.Subnet, ipv6!.Subnet });
        plan.Network!.UsedAddresses.Should().Contain(squatter);
        var subnet = IPNetwork.Parse(ipv4.Subnet);
        foreach (var cluster in plan.Clusters)
        {
            cluster.AddressPools.Should().HaveCount(2, "a dual-stack network gets an IPv4 and an IPv6 pool per cluster");
            var (first, last) = Range(cluster.AddressPools[0]);
            subnet.Contains(first).Should().BeTrue();
            subnet.Contains(last).Should().BeTrue();
            var inside = ToNumber(first) <= ToNumber(IPAddress.Parse(squatter)) && ToNumber(IPAddress.Parse(squatter)) <= ToNumber(last);
            inside.Should().BeFalse($"{cluster.Name}'s pool {cluster.AddressPools[0]} must not contain the container at {squatter}");
        }
    }

    [Fact]
    public async Task Plan_without_subnet_for_a_missing_network_exits_2_and_says_what_to_pass()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var session = await DockerTestSession.StartAsync(ct);

        var result = await MultidcProcess.RunAsync(["plan", "--out", _out, "--network", session.Name("absent")], null, ct);

        result.ExitCode.Should().Be(2);
        result.StandardError.Should().Contain("does not exist").And.Contain("--subnet");
        Directory.Exists(_out).Should().BeFalse();
    }

    private static (IPAddress First, IPAddress Last) Range(string pool)
    {
        var parts = pool.Split('-');
        return (IPAddress.Parse(parts[0]), IPAddress.Parse(parts[1]));
    }

    private static uint ToNumber(IPAddress address) => BitConverter.ToUInt32([.. address.GetAddressBytes().Reverse()]);
}
