using FluentAssertions;
using MultiDcVault.Harness.Docker;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Docker;

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
        DockerApiVersion.Parse(version.ApiVersion).Should().Be(docker.ServerApiVersion);
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
}
