using System.Globalization;
using MultiDcVault.Harness.Processes;

namespace MultiDcVault.Harness.Kubectl;

/// <summary>A running `kubectl port-forward`; disposing it kills kubectl (and anything it spawned).</summary>
public sealed class PortForwardSession : IAsyncDisposable
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
    public Uri HttpsUri => new(string.Create(CultureInfo.InvariantCulture, $"https://127.0.0.1:{LocalPort}"));

    /// <summary>False once kubectl exited (e.g. the pod behind it went away).</summary>
    public bool IsRunning => !_process.HasEnded;

    /// <summary>kubectl's recent output, redacted, for diagnostics when a forward broke.</summary>
    public string RecentOutput() => _process.RecentOutput();

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
