using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using MultiDcVault.Harness.Infrastructure.Processes;

namespace MultiDcVault.Harness.Tests.TestSupport;

/// <summary>
/// An <see cref="IProcessRunner"/> that answers from rules instead of starting processes and
/// records every call (spec, start/end time and order, result). Rules match on the tool's file
/// name plus an argument prefix or a predicate; the most recently added matching rule wins, so
/// add broad defaults first and specific overrides after. Unmatched calls throw, listing the command.
/// Non-zero exit codes are thrown as <see cref="ProcessFailedException"/> when the spec asks for it,
/// and a latency longer than the spec's timeout ends in <see cref="ProcessTimeoutException"/>,
/// just like <see cref="ProcessRunner"/>. Background processes (port-forwards) are answered by the same
/// rules: the result's output lines are what the process "prints", and it ends when disposed. Thread-safe.
/// </summary>
internal sealed class ScriptedProcessRunner : IProcessRunner, IBackgroundProcessLauncher
{
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly List<ScriptedRule> _rules = [];
    private readonly List<ProcessInvocation> _invocations = [];
    private long _order;
    private int _inFlight;
    private int _peakConcurrency;

    public ScriptedProcessRunner(TimeProvider? timeProvider = null) => _time = timeProvider ?? TimeProvider.System;

    /// <summary>Answers unmatched calls instead of throwing (e.g. "exit 0, no output" for a permissive run).</summary>
    public Func<ProcessSpec, ProcessResult>? Fallback { get; set; }

    /// <summary>Every call so far, in start order.</summary>
    public IReadOnlyList<ProcessInvocation> Invocations
    {
        get
        {
            lock (_gate)
            {
                return [.. _invocations];
            }
        }
    }

    /// <summary>The next number of the order calls start and end in (for fakes that record beside this runner).</summary>
    public long NextOrder() => Interlocked.Increment(ref _order);

    /// <summary>Counts a fake's call as running beside this runner's calls in <see cref="PeakConcurrency"/> until disposed.</summary>
    public IDisposable Running()
    {
        UpdatePeak(Interlocked.Increment(ref _inFlight));
        return new InFlight(this);
    }

    private sealed class InFlight(ScriptedProcessRunner owner) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                Interlocked.Decrement(ref owner._inFlight);
            }
        }
    }

    /// <summary>The most calls that were running at the same moment.</summary>
    public int PeakConcurrency => Volatile.Read(ref _peakConcurrency);

    /// <summary>Matches <paramref name="fileName"/> (by file name, so "/usr/bin/kind" matches "kind") whose arguments start with <paramref name="argumentPrefix"/>.</summary>
    public ScriptedRule On(string fileName, params string[] argumentPrefix) =>
        Add(spec => SameTool(spec.FileName, fileName) && StartsWith(spec.Arguments, argumentPrefix), $"{fileName} {string.Join(' ', argumentPrefix)}...");

    /// <summary>Matches <paramref name="fileName"/> whose arguments contain <paramref name="arguments"/> as a contiguous run anywhere.</summary>
    public ScriptedRule OnContaining(string fileName, params string[] arguments) =>
        Add(spec => SameTool(spec.FileName, fileName) && ContainsRun(spec.Arguments, arguments), $"{fileName} ...{string.Join(' ', arguments)}...");

    public ScriptedRule When(Func<ProcessSpec, bool> predicate, string description = "predicate") => Add(predicate, description);

    /// <summary>Calls of one tool whose arguments start with the prefix, in start order.</summary>
    public IReadOnlyList<ProcessInvocation> InvocationsOf(string fileName, params string[] argumentPrefix) =>
        [.. Invocations.Where(i => SameTool(i.Spec.FileName, fileName) && StartsWith(i.Spec.Arguments, argumentPrefix))];

    public async Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var (rule, invocation) = Record(spec);

        var running = Interlocked.Increment(ref _inFlight);
        UpdatePeak(running);
        try
        {
            var result = await AnswerAsync(rule, spec, cancellationToken);
            invocation.Complete(result, null, Interlocked.Increment(ref _order), _time.GetUtcNow());
            if (result.ExitCode != 0 && spec.ThrowOnNonZeroExit)
            {
                throw new ProcessFailedException(
                    CommandLine.Format(spec),
                    result.ExitCode,
                    CommandLine.Redact(OutputTail.Of(result.StandardError), spec),
                    CommandLine.Redact(OutputTail.Of(result.StandardOutput), spec));
            }

            return result;
        }
        catch (Exception ex) when (!invocation.IsComplete)
        {
            invocation.Complete(null, ex, Interlocked.Increment(ref _order), _time.GetUtcNow());
            throw;
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <summary>Claims the matching rule (the newest wins) and records the call in start order.</summary>
    private (ScriptedRule? Rule, ProcessInvocation Invocation) Record(ProcessSpec spec)
    {
        lock (_gate)
        {
            var rule = _rules.LastOrDefault(r => r.TryClaim(spec));
            var invocation = new ProcessInvocation(spec, Interlocked.Increment(ref _order), _time.GetUtcNow(), rule?.Description ?? "fallback");
            _invocations.Add(invocation);
            return (rule, invocation);
        }
    }

    /// <summary>Records the call and returns a process whose output is the matching rule's stdout and stderr lines.</summary>
    public IBackgroundProcess Start(ProcessSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var (rule, invocation) = Record(spec);

        var result = rule?.Answer(spec, TimeSpan.Zero) ?? Fallback?.Invoke(spec)
            ?? throw new InvalidOperationException($"ScriptedProcessRunner has no rule for: {CommandLine.Format(spec)}");
        return new ScriptedBackgroundProcess(spec, result, () => invocation.Complete(result, null, Interlocked.Increment(ref _order), _time.GetUtcNow()));
    }

    private async Task<ProcessResult> AnswerAsync(ScriptedRule? rule, ProcessSpec spec, CancellationToken cancellationToken)
    {
        if (rule is null)
        {
            return Fallback?.Invoke(spec) ?? throw new InvalidOperationException(
                $"ScriptedProcessRunner has no rule for: {CommandLine.Format(spec)}");
        }

        var latency = rule.Latency;
        if (latency > TimeSpan.Zero)
        {
            var timedOut = spec.Timeout != Timeout.InfiniteTimeSpan && latency > spec.Timeout;
            await Task.Delay(timedOut ? spec.Timeout : latency, _time, cancellationToken);
            if (timedOut)
            {
                throw new ProcessTimeoutException(CommandLine.Format(spec), spec.Timeout, string.Empty);
            }
        }

        return rule.Answer(spec, latency);
    }

    private ScriptedRule Add(Func<ProcessSpec, bool> predicate, string description)
    {
        var rule = new ScriptedRule(predicate, description);
        lock (_gate)
        {
            _rules.Add(rule);
        }

        return rule;
    }

    private void UpdatePeak(int running)
    {
        int peak;
        while (running > (peak = Volatile.Read(ref _peakConcurrency)) &&
               Interlocked.CompareExchange(ref _peakConcurrency, running, peak) != peak)
        {
        }
    }

    private static bool SameTool(string actual, string expected) =>
        string.Equals(actual, expected, StringComparison.Ordinal) ||
        string.Equals(Path.GetFileName(actual), expected, StringComparison.Ordinal);

    private static bool StartsWith(IReadOnlyList<string> arguments, IReadOnlyList<string> prefix) =>
        arguments.Count >= prefix.Count && prefix.Select((p, i) => string.Equals(arguments[i], p, StringComparison.Ordinal)).All(x => x);

    private static bool ContainsRun(IReadOnlyList<string> arguments, IReadOnlyList<string> run)
    {
        for (var start = 0; start + run.Count <= arguments.Count; start++)
        {
            if (run.Select((r, i) => string.Equals(arguments[start + i], r, StringComparison.Ordinal)).All(x => x))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>A background process that "printed" a scripted result; a non-zero exit code means it already ended.</summary>
internal sealed class ScriptedBackgroundProcess(ProcessSpec spec, ProcessResult result, Action onDispose) : IBackgroundProcess
{
    private readonly string[] _lines = [.. (result.StandardOutput + "\n" + result.StandardError).Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    private int _disposed;

    public string CommandLine => MultiDcVault.Harness.Infrastructure.Processes.CommandLine.Format(spec);

    public bool HasEnded => result.ExitCode != 0 || Volatile.Read(ref _disposed) == 1;

    public Task<string> WaitForOutputLineAsync(Func<string, bool> match, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(match);
        if (_lines.FirstOrDefault(match) is { } line)
        {
            return Task.FromResult(line);
        }

        return result.ExitCode != 0
            ? Task.FromException<string>(new ProcessFailedException(CommandLine, result.ExitCode, OutputTail.Of(result.StandardError)))
            : Task.FromException<string>(new ProcessTimeoutException(CommandLine, timeout, OutputTail.Of(result.StandardError)));
    }

    public string RecentOutput() => string.Join('\n', _lines);

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            onDispose();
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>One scripted answer: a fixed result, a sequence, a function or an exception, with optional latency and use limit.</summary>
internal sealed class ScriptedRule
{
    private readonly Func<ProcessSpec, bool> _predicate;
    private readonly Lock _gate = new();
    private readonly Queue<Func<ProcessSpec, ProcessResult>> _sequence = new();
    private Func<ProcessSpec, ProcessResult> _answer = _ => new ProcessResult(0, string.Empty, string.Empty, TimeSpan.Zero);
    private int? _remainingUses;

    internal ScriptedRule(Func<ProcessSpec, bool> predicate, string description)
    {
        _predicate = predicate;
        Description = description;
    }

    public string Description { get; }

    public TimeSpan Latency { get; private set; }

    /// <summary>How many calls this rule answered.</summary>
    public int Uses { get; private set; }

    public ScriptedRule Returns(string standardOutput = "", int exitCode = 0, string standardError = "") =>
        Responds(_ => new ProcessResult(exitCode, standardOutput, standardError, TimeSpan.Zero));

    public ScriptedRule Fails(int exitCode, string standardError) => Returns(string.Empty, exitCode, standardError);

    public ScriptedRule Responds(Func<ProcessSpec, ProcessResult> answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        lock (_gate)
        {
            _answer = answer;
        }

        return this;
    }

    public ScriptedRule Throws(Func<ProcessSpec, Exception> error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return Responds(spec => throw error(spec));
    }

    /// <summary>Answers successive calls with these results in order; the last one repeats.</summary>
    public ScriptedRule ReturnsInOrder(params ProcessResult[] results)
    {
        ArgumentOutOfRangeException.ThrowIfZero(results.Length);
        lock (_gate)
        {
            foreach (var result in results[..^1])
            {
                _sequence.Enqueue(_ => result);
            }
        }

        var last = results[^1];
        return Responds(_ => last);
    }

    /// <summary>Each call waits this long on the runner's TimeProvider (a fake one lets tests step time).</summary>
    public ScriptedRule WithLatency(TimeSpan latency)
    {
        Latency = latency;
        return this;
    }

    /// <summary>Answers at most <paramref name="count"/> calls, then lets older rules (or the fallback) answer.</summary>
    public ScriptedRule Times(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_gate)
        {
            _remainingUses = count;
        }

        return this;
    }

    public ScriptedRule Once() => Times(1);

    internal bool TryClaim(ProcessSpec spec)
    {
        lock (_gate)
        {
            if (_remainingUses == 0 || !_predicate(spec))
            {
                return false;
            }

            if (_remainingUses is { } remaining)
            {
                _remainingUses = remaining - 1;
            }

            Uses++;
            return true;
        }
    }

    internal ProcessResult Answer(ProcessSpec spec, TimeSpan latency)
    {
        Func<ProcessSpec, ProcessResult> answer;
        lock (_gate)
        {
            answer = _sequence.Count > 0 ? _sequence.Dequeue() : _answer;
        }

        return answer(spec) with { Duration = latency };
    }
}

/// <summary>One recorded call. Start/end orders come from one counter, so overlap is exact even on a fake clock.</summary>
internal sealed class ProcessInvocation
{
    private readonly Lock _gate = new();

    internal ProcessInvocation(ProcessSpec spec, long startOrder, DateTimeOffset startedAt, string matchedRule)
    {
        Spec = spec;
        StartOrder = startOrder;
        StartedAt = startedAt;
        MatchedRule = matchedRule;
    }

    public ProcessSpec Spec { get; }

    public string MatchedRule { get; }

    public long StartOrder { get; }

    public DateTimeOffset StartedAt { get; }

    public long? EndOrder { get; private set; }

    public DateTimeOffset? EndedAt { get; private set; }

    public ProcessResult? Result { get; private set; }

    public Exception? Error { get; private set; }

    public bool IsComplete
    {
        get
        {
            lock (_gate)
            {
                return EndOrder is not null;
            }
        }
    }

    public IReadOnlyList<string> Arguments => Spec.Arguments;

    /// <summary>"tool arg1 arg2" for readable assertion failures.</summary>
    public string Text => $"{Spec.FileName} {string.Join(' ', Spec.Arguments)}";

    /// <summary>The value after <paramref name="flag"/> ("--kubeconfig x" or "--kubeconfig=x"), or null.</summary>
    public string? ValueOf(string flag)
    {
        for (var i = 0; i < Spec.Arguments.Count; i++)
        {
            var argument = Spec.Arguments[i];
            if (argument == flag && i + 1 < Spec.Arguments.Count)
            {
                return Spec.Arguments[i + 1];
            }

            if (argument.StartsWith(flag + "=", StringComparison.Ordinal))
            {
                return argument[(flag.Length + 1)..];
            }
        }

        return null;
    }

    /// <summary>True when the two calls were running at the same time (a still-running call extends forever).</summary>
    public bool Overlaps(ProcessInvocation other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return StartOrder < (other.EndOrder ?? long.MaxValue) && other.StartOrder < (EndOrder ?? long.MaxValue);
    }

    public override string ToString() => Text;

    internal void Complete(ProcessResult? result, Exception? error, long endOrder, DateTimeOffset endedAt)
    {
        lock (_gate)
        {
            Result = result;
            Error = error;
            EndOrder = endOrder;
            EndedAt = endedAt;
        }
    }
}

/// <summary>An ILogger that keeps formatted messages, to assert what reached the log.</summary>
internal sealed class CapturingLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<string> _messages = new();

    public IReadOnlyList<string> Messages => [.. _messages];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        _messages.Enqueue(formatter(state, exception));
    }
}

/// <summary>Writes small fake CLIs (shell scripts) for tests that run real processes.</summary>
internal static class FakeTool
{
    /// <summary>Writes an executable /bin/sh script named <paramref name="name"/> into <paramref name="directory"/>.</summary>
    public static string Write(string directory, string name, string body)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }
}
