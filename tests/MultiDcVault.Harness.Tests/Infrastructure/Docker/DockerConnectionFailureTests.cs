using System.Net.Sockets;
using FluentAssertions;
using MultiDcVault.Harness.Infrastructure.Docker;
using Xunit;

namespace MultiDcVault.Harness.Tests.Infrastructure.Docker;

/// <summary>Connection failures need no engine: they point the client at sockets nobody serves.</summary>
public sealed class DockerConnectionFailureTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mdv-sock-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_missing_socket_path_is_reported_with_the_path_the_places_looked_and_the_fix()
    {
        var path = Path.Combine(_directory, "docker.sock");
        var resolution = new DockerEndpointResolution(DockerEndpoint.UnixSocket(path, "DOCKER_HOST"), ["DOCKER_HOST: unix://" + path + " (using it)"]);

        var act = () => DockerClient.ConnectAsync(resolution, new DockerClientOptions(), TestContext.Current.CancellationToken);

        var error = (await act.Should().ThrowAsync<DockerUnavailableException>()).Which;
        error.Message.Should().Contain(path).And.Contain("Looked at:").And.Contain("sudo systemctl start docker");
        error.PlacesLooked.Should().ContainSingle();
    }

    [Fact]
    public async Task A_stale_socket_with_no_listener_is_reported_as_unavailable()
    {
        var path = Path.Combine(_directory, "stale.sock");
        using (var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            listener.Bind(new UnixDomainSocketEndPoint(path)); // leaves the socket file behind, unserved
        }

        var resolution = new DockerEndpointResolution(DockerEndpoint.UnixSocket(path, "default socket"), []);

        var act = () => DockerClient.ConnectAsync(resolution, new DockerClientOptions(), TestContext.Current.CancellationToken);

        (await act.Should().ThrowAsync<DockerUnavailableException>()).Which.Message.Should().Contain(path);
    }

    [Fact]
    public async Task A_daemon_that_never_answers_times_out_naming_the_endpoint_and_the_call()
    {
        var ct = TestContext.Current.CancellationToken;
        var path = Path.Combine(_directory, "silent.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(); // accepts connections at the kernel level but never answers
        var options = new DockerClientOptions { RequestTimeout = TimeSpan.FromMilliseconds(200) };

        var act = () => DockerClient.ConnectAsync(new DockerEndpointResolution(DockerEndpoint.UnixSocket(path, "test"), []), options, ct);

        (await act.Should().ThrowAsync<TimeoutException>()).Which.Message.Should().Contain(path).And.Contain("GET /_ping");
    }
}
