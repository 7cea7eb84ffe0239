using System.Diagnostics;
using System.Net;
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

    [Fact]
    public async Task A_refused_tcp_endpoint_is_reported_as_unavailable_with_the_places_looked()
    {
        using var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop(); // nothing listens there now: connections are refused
        var resolution = new DockerEndpointResolution(DockerEndpoint.Tcp("127.0.0.1", port, "DOCKER_HOST"), ["DOCKER_HOST: tcp://127.0.0.1 (using it)"]);

        var act = () => DockerClient.ConnectAsync(resolution, new DockerClientOptions(), TestContext.Current.CancellationToken);

        var error = (await act.Should().ThrowAsync<DockerUnavailableException>()).Which;
        error.Message.Should().Contain($"tcp://127.0.0.1:{port}").And.Contain("Looked at:");
    }

    [Fact]
    public async Task A_tcp_connect_that_never_completes_is_bounded_by_the_request_timeout()
    {
        // A listener with a full backlog that never accepts: the kernel drops further SYNs, so the
        // next connect hangs like one to a blackholed host.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        var fillers = new List<Socket>();
        for (var i = 0; i < 4; i++)
        {
            var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            _ = filler.ConnectAsync(IPAddress.Loopback, port, TestContext.Current.CancellationToken);
            fillers.Add(filler);
        }

        try
        {
            var options = new DockerClientOptions { RequestTimeout = TimeSpan.FromSeconds(1) };
            var started = Stopwatch.GetTimestamp();

            var act = () => DockerClient.ConnectAsync(new DockerEndpointResolution(DockerEndpoint.Tcp("127.0.0.1", port, "test"), []), options, TestContext.Current.CancellationToken);

            await act.Should().ThrowAsync<Exception>().Where(e => e is TimeoutException || e is DockerUnavailableException);
            Stopwatch.GetElapsedTime(started).Should().BeLessThan(TimeSpan.FromSeconds(30), "the request timeout bounds the connect, not the OS's SYN retries");
        }
        finally
        {
            fillers.ForEach(f => f.Dispose());
        }
    }
}
