using System.Diagnostics;

namespace MultiDcVault.Harness.Infrastructure.Processes;

/// <summary>A long-running <see cref="Process"/> whose output lines can be awaited; disposal kills its tree.</summary>
internal sealed class BackgroundProcess : IBackgroundProcess
{
    private const int MaxKeptLines = 500;

    private readonly Process _process;
    private readonly Func<string, string> _redact;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly List<string> _lines = [];
    private readonly List<string> _stderrLines = [];
    private readonly Task _ended;
    private bool _outputClosed;
    private int _dropped;
    private TaskCompletionSource _changed = NewSignal();
    private int _disposed;

    public BackgroundProcess(Process process, string commandLine, Func<string, string> redact, Action<string, string> log, TimeProvider time)
    {
        _process = process;
        _redact = redact;
        _time = time;
        CommandLine = commandLine;

        // Nothing is fed to a background process: close stdin so it never waits on it.
        try
        {
            process.StandardInput.Close();
        }
        catch (IOException)
        {
        }

        var stdout = OutputPump.Start(process.StandardOutput, line => { log("out", line); Append(line, isError: false); });
        var stderr = OutputPump.Start(process.StandardError, line => { log("err", line); Append(line, isError: true); });
        _ended = Task.WhenAll(stdout.Completion, stderr.Completion).ContinueWith(_ => MarkOutputClosed(), TaskScheduler.Default);
    }

    public string CommandLine { get; }

    public bool HasEnded
    {
        get
        {
            lock (_gate)
            {
                return _outputClosed;
            }
        }
    }

    public async Task<string> WaitForOutputLineAsync(Func<string, bool> match, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(match);
        var startedAt = _time.GetTimestamp();
        var next = 0;
        while (true)
        {
            Task changed;
            bool ended;
            lock (_gate)
            {
                // Lines dropped from the front of the buffer are skipped, not re-read.
                for (var i = Math.Max(next - _dropped, 0); i < _lines.Count; i++)
                {
                    if (match(_lines[i]))
                    {
                        return _lines[i];
                    }
                }

                next = _dropped + _lines.Count;
                changed = _changed.Task;
                ended = _outputClosed;
            }

            if (ended)
            {
                throw new ProcessFailedException(CommandLine, ExitCodeOrMinusOne(), StderrTail(), _redact(OutputTail.Of(string.Join('\n', Snapshot()))));
            }

            var remaining = timeout - _time.GetElapsedTime(startedAt);
            if (remaining <= TimeSpan.Zero)
            {
                throw new ProcessTimeoutException(CommandLine, timeout, StderrTail());
            }

            try
            {
                await changed.WaitAsync(remaining, _time, cancellationToken);
            }
            catch (TimeoutException)
            {
                throw new ProcessTimeoutException(CommandLine, timeout, StderrTail());
            }
        }
    }

    public string RecentOutput() => _redact(OutputTail.Of(string.Join('\n', Snapshot())));

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        ProcessRunner.KillProcessTree(_process);
        try
        {
            await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5), _time);
            await _ended.WaitAsync(TimeSpan.FromSeconds(5), _time);
        }
        catch (TimeoutException)
        {
            // SIGKILL is sent; a pipe held by an escaped grandchild must not hang disposal.
        }

        _process.Dispose();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void Append(string line, bool isError)
    {
        lock (_gate)
        {
            _lines.Add(line);
            if (_lines.Count > MaxKeptLines)
            {
                _lines.RemoveAt(0);
                _dropped++;
            }

            if (isError)
            {
                _stderrLines.Add(line);
                if (_stderrLines.Count > OutputTail.DefaultLines)
                {
                    _stderrLines.RemoveAt(0);
                }
            }
        }

        Signal();
    }

    /// <summary>
    /// Marks the end under the gate before waking waiters: a waiter woken by this signal must see the end,
    /// or it would wait for a signal that never comes (the continuation task completes only after this returns).
    /// </summary>
    private void MarkOutputClosed()
    {
        lock (_gate)
        {
            _outputClosed = true;
        }

        Signal();
    }

    private void Signal()
    {
        TaskCompletionSource previous;
        lock (_gate)
        {
            previous = _changed;
            _changed = NewSignal();
        }

        previous.TrySetResult();
    }

    private string[] Snapshot()
    {
        lock (_gate)
        {
            return [.. _lines];
        }
    }

    private string StderrTail()
    {
        lock (_gate)
        {
            return _redact(string.Join('\n', _stderrLines));
        }
    }

    private int ExitCodeOrMinusOne()
    {
        try
        {
            return _process.WaitForExit(TimeSpan.FromSeconds(1)) ? _process.ExitCode : -1;
        }
        catch (InvalidOperationException)
        {
            return -1;
        }
    }
}
