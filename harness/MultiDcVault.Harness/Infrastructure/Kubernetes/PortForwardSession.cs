using System.Globalization;
using System.Text.RegularExpressions;
using MultiDcVault.Harness.Infrastructure.Processes;

namespace MultiDcVault.Harness.Infrastructure.Kubernetes;

/// <summary>A running `kubectl port-forward`; disposing it kills kubectl (and anything it spawned).</summary>
internal sealed partial class PortForwardSession : IAsyncDisposable
{
    private readonly IBackgroundProcess _process;

    internal PortForwardSession(IBackgroundProcess process, int localPort, int remotePort)
    {
        _process = process;
        LocalPort = localPort;
        RemotePort = remotePort;
    }

    /// <summary>The port kubectl listens on at 127.0.0.1 (chosen by kubectl when 0 was asked for).</summary>
    public int LocalPort { get; }

    public int RemotePort { get; }

    /// <summary>https://127.0.0.1:&lt;LocalPort&gt; (Vault listens with TLS).</summary>
    public Uri HttpsUri => LocalHttpsUri(LocalPort);

    /// <summary>False once kubectl exited (e.g. the pod behind it went away).</summary>
    public bool IsRunning => !_process.HasEnded;

    /// <summary>kubectl's recent output, redacted, for diagnostics when a forward broke.</summary>
    public string RecentOutput() => _process.RecentOutput();

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    internal static Uri LocalHttpsUri(int port) => new(string.Create(CultureInfo.InvariantCulture, $"https://127.0.0.1:{port}"));

    /// <summary>
    /// Completes with a one-line reason once this forward is broken for good: kubectl exited (recent
    /// kubectl exits with "lost connection to pod" when its pod goes away), or kubectl still runs but
    /// reports it cannot forward to the pod it is bound to (older kubectl stays up after the pod is gone,
    /// and it never re-resolves the Service, so it will not recover by itself).
    /// </summary>
    internal async Task<string> WaitUntilBrokenAsync(TimeProvider time, TimeSpan pollInterval, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                // Bounded waits: the process's end can be signalled before it reports HasEnded, so a
                // single long wait could miss it; looking again every pollInterval catches it.
                var line = await _process.WaitForOutputLineAsync(l => PodUnreachableLine().IsMatch(l), pollInterval, cancellationToken);
                return $"kubectl still runs but cannot reach its pod: {line.Trim()}";
            }
            catch (ProcessFailedException ex)
            {
                return $"kubectl exited (code {ex.ExitCode}): {LastLine(ex.StandardErrorTail.Length > 0 ? ex.StandardErrorTail : _process.RecentOutput())}";
            }
            catch (ProcessTimeoutException) when (!_process.HasEnded)
            {
                // Nothing matched yet. A launcher whose processes do not block on output returns at once,
                // so pause (on the injected clock) before looking again.
                await Task.Delay(pollInterval, time, cancellationToken);
            }
            catch (ProcessTimeoutException)
            {
                // Ended while the wait timed out: the next wait reports how.
            }
        }
    }

    private static string LastLine(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "no output" : lines[^1];
    }

    // client-go logs "an error occurred forwarding L -> R: error forwarding port R to pod <id>, uid : <cause>"
    // for each connection it could not hand to the pod (gone container, closed sandbox, nothing listening).
    [GeneratedRegex(@"error forwarding port \d+ to pod")]
    private static partial Regex PodUnreachableLine();
}
