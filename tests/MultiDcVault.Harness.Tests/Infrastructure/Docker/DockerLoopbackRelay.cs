using System.Net.Sockets;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace MultiDcVault.Harness.Tests.Infrastructure.Docker;

/// <summary>
/// Relays 127.0.0.1:&lt;random port&gt; to a unix socket, so the plain-TCP transport can be tested
/// against the real engine without exposing it beyond loopback. It records what the client sent,
/// so a test can read the request lines the engine was given.
/// </summary>
internal sealed partial class DockerLoopbackRelay : IAsyncDisposable
{
    private readonly StringBuilder _sent = new();
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

    /// <summary>"METHOD /path" of every request relayed so far, in order.</summary>
    public IReadOnlyList<string> RequestLines
    {
        get
        {
            lock (_sent)
            {
                return [.. RequestLine().Matches(_sent.ToString()).Select(m => m.Groups[1].Value)];
            }
        }
    }

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
                    RecordAndCopyAsync(clientStream, upstreamStream),
                    upstreamStream.CopyToAsync(clientStream, _stop.Token));
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
                // Either side hung up: the relay for this connection is done.
            }
        }
    }

    private async Task RecordAndCopyAsync(Stream from, Stream to)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await from.ReadAsync(buffer, _stop.Token)) > 0)
        {
            lock (_sent)
            {
                _sent.Append(Encoding.Latin1.GetString(buffer, 0, read));
            }

            await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
        }
    }

    [GeneratedRegex(@"^((?:GET|POST|PUT|DELETE|HEAD) \S+) HTTP/1\.1\r$", RegexOptions.Multiline)]
    private static partial Regex RequestLine();
}
