using FluentAssertions;
using MultiDcVault.Harness.Infrastructure.Docker;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Infrastructure.Docker;

[Trait("Category", "Docker")]
public sealed class DockerEngineTests
{
    [Fact]
    public async Task Negotiated_version_is_at_most_the_servers_and_versioned_calls_work()
    {
        var ct = TestContext.Current.CancellationToken;
        using var docker = await DockerTestSupport.ConnectOrSkipAsync(ct);

        docker.ApiVersion.Should().BeLessThanOrEqualTo(docker.ServerApiVersion);
        docker.ApiVersion.Should().BeLessThanOrEqualTo(DockerApiVersion.Newest);
        docker.ApiVersion.Should().Be(DockerApiVersion.Negotiate(DockerApiVersion.Newest, docker.ServerApiVersion));

        (await docker.PingAsync(ct)).Should().BeTrue();
        var version = await docker.VersionAsync(ct);
        version.Version.Should().NotBeNullOrEmpty();
        DockerApiVersion.Parse(version.APIVersion).Should().Be(docker.ServerApiVersion);
    }

    [Fact]
    public async Task A_lower_own_maximum_is_honoured()
    {
        var ct = TestContext.Current.CancellationToken;
        using var probe = await DockerTestSupport.ConnectOrSkipAsync(ct);
        var options = new DockerClientOptions { MaxApiVersion = DockerApiVersion.Oldest };

        using var docker = await DockerClient.ConnectAsync(new DockerEndpointResolver().Resolve(), options, ct);

        docker.ApiVersion.Should().Be(DockerApiVersion.Oldest);
        (await docker.VersionAsync(ct)).Os.Should().NotBeNullOrEmpty();
    }

    [Fact]
    public async Task Plain_tcp_endpoint_works_through_a_loopback_relay()
    {
        var ct = TestContext.Current.CancellationToken;
        using var probe = await DockerTestSupport.ConnectOrSkipAsync(ct);
        Assert.SkipWhen(probe.Endpoint.Kind != DockerTransportKind.UnixSocket, $"The engine is reached over {probe.Endpoint}, not a unix socket to relay.");
        await using var relay = new DockerLoopbackRelay(probe.Endpoint.Address);
        var endpoint = DockerEndpoint.Tcp("127.0.0.1", relay.Port, "test relay");

        using var docker = await DockerClient.ConnectAsync(new DockerEndpointResolution(endpoint, []), new DockerClientOptions(), ct);

        docker.Endpoint.Kind.Should().Be(DockerTransportKind.Tcp);
        docker.ApiVersion.Should().Be(probe.ApiVersion);
        await DockerTestSupport.RequireTestImageAsync(probe, ct);
        (await docker.Images.ExistsAsync(DockerTestSupport.TestImage, ct)).Should().BeTrue("the relayed connection answers like the direct one");
    }

    [Fact]
    public async Task Every_call_after_negotiation_carries_the_negotiated_version_in_its_path()
    {
        var ct = TestContext.Current.CancellationToken;
        using var probe = await DockerTestSupport.ConnectOrSkipAsync(ct);
        Assert.SkipWhen(probe.Endpoint.Kind != DockerTransportKind.UnixSocket, $"The engine is reached over {probe.Endpoint}, not a unix socket to relay.");
        await DockerTestSupport.RequireTestImageAsync(probe, ct);
        await using var relay = new DockerLoopbackRelay(probe.Endpoint.Address);
        var options = new DockerClientOptions { MaxApiVersion = DockerApiVersion.Oldest };

        using var docker = await DockerClient.ConnectAsync(new DockerEndpointResolution(DockerEndpoint.Tcp("127.0.0.1", relay.Port, "test relay"), []), options, ct);
        await docker.Images.ExistsAsync(DockerTestSupport.TestImage, ct);
        await docker.Networks.TryInspectAsync("multidc-no-such-network", ct);

        // Unversioned ping and version first (any engine answers them at its own version), then
        // every request pinned, so an engine newer than us never answers in a shape we do not read.
        relay.RequestLines.Should().Equal(
            "GET /_ping",
            "GET /version",
            $"GET /v1.41/images/{DockerTestSupport.TestImage}/json",
            "GET /v1.41/networks/multidc-no-such-network");
    }

    [Fact]
    public async Task Cancelling_a_running_exec_stops_the_wait()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var session = await DockerTestSession.StartAsync(ct);
        await using var container = await TestContainers.StartSleeperAsync(session, "cancel", ct);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(300));

        var exec = () => session.Docker.Exec.RunAsync(container.Id, ["sleep", "60"], null, cancel.Token);

        await exec.Should().ThrowAsync<OperationCanceledException>();
    }
}
