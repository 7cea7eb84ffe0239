using System.Net.Sockets;
using System.Net;

namespace MultiDcVault.Harness.Tests.Infrastructure.Docker;

/// <summary>
/// Relays 127.0.0.1:&lt;random port&gt; to a unix socket, so the plain-TCP transport can be tested
/// against the real engine without exposing it beyond loopback.
/// </summary>
public sealed class DockerLoopbackRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _socketPath;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;

    public DockerLoopbackRelay(string socketPath)
    {
        _socketPath = socketPath;
        _listener.Start();
        _acceptLoop = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _acceptLoop;
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var upstream = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            try
            {
                await upstream.ConnectAsync(new UnixDomainSocketEndPoint(_socketPath), _stop.Token);
                await using var upstreamStream = new NetworkStream(upstream, ownsSocket: false);
                var clientStream = client.GetStream();
                await Task.WhenAny(
                    clientStream.CopyToAsync(upstreamStream, _stop.Token),
                    upstreamStream.CopyToAsync(clientStream, _stop.Token));
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
                // Either side hung up: the relay for this connection is done.
            }
        }
    }
}
