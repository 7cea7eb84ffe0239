using Microsoft.Extensions.Logging;
using MultiDcVault.Harness.Infrastructure.Kubernetes;
using MultiDcVault.Harness.Infrastructure.Processes;

namespace MultiDcVault.Harness.Components.Vault;

/// <summary>
/// A `kubectl port-forward` that outlives its pod. kubectl binds a Service forward to one pod and
/// gives up when that pod goes away, so this restarts kubectl on the same 127.0.0.1 port (callers keep
/// the <see cref="HttpsUri"/> for the life of the environment) with a capped backoff, until disposed.
/// While it restarts, connections are refused; callers retry. Disposing kills the current kubectl.
/// </summary>
internal sealed partial class ResilientPortForward : IAsyncDisposable
{
    private readonly Func<int, CancellationToken, Task<PortForwardSession>> _open;
    private readonly string _description;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly PortForwardRestartPolicy _policy;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly Task _supervisor;
    private PortForwardSession _current;
    private int _restarts;
    private int _disposed;

    private ResilientPortForward(
        Func<int, CancellationToken, Task<PortForwardSession>> open,
        string description,
        PortForwardSession first,
        ILogger logger,
        TimeProvider time,
        PortForwardRestartPolicy policy)
    {
        _open = open;
        _description = description;
        _current = first;
        _logger = logger;
        _time = time;
        _policy = policy;
        LocalPort = first.LocalPort;
        RemotePort = first.RemotePort;
        _supervisor = Task.Run(() => SuperviseAsync(_stopping.Token));
    }

    /// <summary>The 127.0.0.1 port picked by the first kubectl; every restart listens on it again.</summary>
    public int LocalPort { get; }

    public int RemotePort { get; }

    /// <summary>https://127.0.0.1:&lt;LocalPort&gt;, stable across restarts.</summary>
    public Uri HttpsUri => PortForwardSession.LocalHttpsUri(LocalPort);

    /// <summary>True while a kubectl is running for this forward (false between a break and a successful restart).</summary>
    public bool IsForwarding
    {
        get
        {
            lock (_gate)
            {
                return Volatile.Read(ref _disposed) == 0 && _current.IsRunning;
            }
        }
    }

    /// <summary>How many times kubectl was restarted successfully.</summary>
    public int Restarts => Volatile.Read(ref _restarts);

    /// <summary>The current (or last) kubectl's recent output, redacted.</summary>
    public string RecentOutput()
    {
        lock (_gate)
        {
            return _current.RecentOutput();
        }
    }

    /// <summary>Forwards 127.0.0.1:&lt;free port&gt; to <paramref name="resource"/>:<paramref name="remotePort"/> and keeps it forwarding until disposed.</summary>
    public static Task<ResilientPortForward> StartAsync(
        KubectlCli kubectl,
        KubeTarget target,
        string @namespace,
        string resource,
        int remotePort,
        ILogger logger,
        CancellationToken cancellationToken,
        TimeProvider? timeProvider = null,
        PortForwardRestartPolicy? policy = null)
    {
        ArgumentNullException.ThrowIfNull(kubectl);
        ArgumentNullException.ThrowIfNull(target);
        return StartAsync(
            (port, ct) => kubectl.PortForwardAsync(target, @namespace, resource, remotePort, ct, localPort: port),
            $"{resource} (namespace {@namespace}, context {target.Context})",
            logger,
            timeProvider ?? TimeProvider.System,
            policy ?? new PortForwardRestartPolicy(),
            cancellationToken);
    }

    /// <param name="open">Starts one kubectl on the given local port (0: let kubectl pick) and returns once it forwards.</param>
    internal static async Task<ResilientPortForward> StartAsync(
        Func<int, CancellationToken, Task<PortForwardSession>> open,
        string description,
        ILogger logger,
        TimeProvider time,
        PortForwardRestartPolicy policy,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(open);
        ArgumentNullException.ThrowIfNull(logger);
        var first = await open(0, cancellationToken);
        return new ResilientPortForward(open, description, first, logger, time, policy);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync();

        // The supervisor is the only writer of _current: once it stopped (disposing any kubectl it
        // started too late), the session read below is the last one and nothing can replace it.
        await _supervisor;
        PortForwardSession last;
        lock (_gate)
        {
            last = _current;
        }

        await last.DisposeAsync();
        _stopping.Dispose();
    }

    private async Task SuperviseAsync(CancellationToken stopping)
    {
        try
        {
            var failures = 0;
            var startedAt = _time.GetTimestamp();
            while (true)
            {
                PortForwardSession broken;
                lock (_gate)
                {
                    broken = _current;
                }

                var reason = await broken.WaitUntilBrokenAsync(_time, _policy.PollInterval, stopping);

                // A kubectl still bound to a dead pod keeps the port: it must go before the restart can listen there.
                await broken.DisposeAsync();
                if (_time.GetElapsedTime(startedAt) >= _policy.StableAfter)
                {
                    failures = 0;
                }

                LogBroken(_description, LocalPort, reason);
                failures = await RestartAsync(failures, stopping);
                startedAt = _time.GetTimestamp();
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Disposed.
        }
        catch (Exception ex)
        {
            // Never expected; logged so a forward that silently stopped being looked after is visible.
            LogSupervisionFailed(_description, LocalPort, ex);
        }
    }

    /// <summary>Tries until kubectl forwards on <see cref="LocalPort"/> again; returns the failure count to carry on with.</summary>
    private async Task<int> RestartAsync(int failures, CancellationToken stopping)
    {
        var attempts = 0;
        while (true)
        {
            var delay = _policy.DelayBefore(failures);
            LogRestarting(_description, LocalPort, delay.TotalSeconds);
            await Task.Delay(delay, _time, stopping);
            failures++;
            attempts++;
            try
            {
                var session = await _open(LocalPort, stopping);
                lock (_gate)
                {
                    _current = session;
                }

                Interlocked.Increment(ref _restarts);
                LogRestarted(_description, LocalPort, attempts);
                return failures;
            }
            catch (ProcessFailedException ex) when (IsPortTaken(ex))
            {
                LogPortTaken(_description, LocalPort, LastLine(ex.StandardErrorTail));
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stopping.IsCancellationRequested)
            {
                // Pod not there yet, API server busy, kubectl slow to forward: all worth another try.
                LogRestartFailed(_description, LocalPort, attempts, ex.Message);
            }
        }
    }

    private static bool IsPortTaken(ProcessFailedException ex)
    {
        var text = ex.StandardErrorTail + "\n" + ex.StandardOutputTail;
        return text.Contains("unable to listen on", StringComparison.OrdinalIgnoreCase) ||
               text.Contains("address already in use", StringComparison.OrdinalIgnoreCase);
    }

    private static string LastLine(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "no output" : lines[^1];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "port-forward to {Target} on 127.0.0.1:{Port} broke: {Reason}")]
    private partial void LogBroken(string target, int port, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "restarting port-forward to {Target} on 127.0.0.1:{Port} in {Seconds:F1}s")]
    private partial void LogRestarting(string target, int port, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "port-forward to {Target} restarted on 127.0.0.1:{Port} (attempt {Attempt})")]
    private partial void LogRestarted(string target, int port, int attempt);

    [LoggerMessage(
        Level = LogLevel.Error,
        Message = "port-forward to {Target} cannot restart: 127.0.0.1:{Port} is taken by another process ({Error}). " +
                  "Vault clients of this environment hold https://127.0.0.1:{Port}, so the forward must come back on that port: " +
                  "stop the process listening there (find it with `lsof -nP -iTCP:{Port} -sTCP:LISTEN` or `netstat -ano | findstr :{Port}`). Retrying.")]
    private partial void LogPortTaken(string target, int port, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "port-forward to {Target} on 127.0.0.1:{Port}: restart attempt {Attempt} failed; retrying: {Error}")]
    private partial void LogRestartFailed(string target, int port, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "port-forward to {Target} on 127.0.0.1:{Port} is no longer restarted after an unexpected error")]
    private partial void LogSupervisionFailed(string target, int port, Exception error);
}
