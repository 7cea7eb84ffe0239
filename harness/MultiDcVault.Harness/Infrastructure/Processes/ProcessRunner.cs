using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;
using MultiDcVault.Harness.Infrastructure.Secrets;

namespace MultiDcVault.Harness.Infrastructure.Processes;

/// <summary>
/// Runs a CLI with System.Diagnostics.Process: arguments as a list (never a shell), stdin
/// closed or fed, stdout and stderr drained concurrently, timeout and cancellation kill the
/// whole process tree, output lines streamed to the log with secrets masked.
/// </summary>
internal sealed partial class ProcessRunner : IProcessRunner, IBackgroundProcessLauncher
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    private readonly ILogger _logger;
    private readonly ExecutableResolver _resolver;
    private readonly Redactor _redactor;
    private readonly TimeProvider _time;

    public ProcessRunner(
        ILogger<ProcessRunner>? logger = null,
        ExecutableResolver? resolver = null,
        Redactor? redactor = null,
        TimeProvider? timeProvider = null)
    {
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _resolver = resolver ?? ExecutableResolver.Default;
        _redactor = redactor ?? Redactor.Default;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>
    /// How long to wait for the output pipes to close after the process exited. A daemonised
    /// grandchild can hold them open forever; we then return what was read so far.
    /// </summary>
    public TimeSpan OutputDrainGrace { get; init; } = TimeSpan.FromSeconds(5);

    public async Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        cancellationToken.ThrowIfCancellationRequested();

        var executable = _resolver.Resolve(spec.FileName);
        var commandLine = CommandLine.Format(spec, _redactor);
        var tool = Path.GetFileNameWithoutExtension(spec.FileName);
        LogStarting(_logger, commandLine);

        using var process = new Process { StartInfo = CreateStartInfo(executable, spec) };
        var startedAt = _time.GetTimestamp();
        Start(process, spec.FileName, executable);

        var stdout = OutputPump.Start(process.StandardOutput, line => LogLine(spec, tool, "out", line));
        var stderr = OutputPump.Start(process.StandardError, line => LogLine(spec, tool, "err", line));
        var stdin = FeedStandardInputAsync(process, spec.StandardInput, cancellationToken);

        using var timeout = new CancellationTokenSource(spec.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await process.WaitForExitAsync(linked.Token);
        }
        catch (OperationCanceledException)
        {
            KillProcessTree(process);
            await WaitForExitAfterKillAsync(process);
            await DrainAsync(stdout, stderr, stdin);
            var stderrTail = Redact(OutputTail.Of(stderr.Text), spec);
            if (cancellationToken.IsCancellationRequested)
            {
                LogCancelled(_logger, commandLine);
                throw new OperationCanceledException($"Cancelled (process tree killed): {commandLine}", null, cancellationToken);
            }

            throw new ProcessTimeoutException(commandLine, spec.Timeout, stderrTail);
        }

        await DrainAsync(stdout, stderr, stdin);
        var duration = _time.GetElapsedTime(startedAt);
        var result = new ProcessResult(process.ExitCode, stdout.Text, stderr.Text, duration);
        LogFinished(_logger, commandLine, result.ExitCode, duration.TotalSeconds);

        if (result.ExitCode != 0 && spec.ThrowOnNonZeroExit)
        {
            throw new ProcessFailedException(
                commandLine,
                result.ExitCode,
                Redact(OutputTail.Of(result.StandardError), spec),
                Redact(OutputTail.Of(result.StandardOutput), spec));
        }

        return result;
    }

    public IBackgroundProcess Start(ProcessSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var executable = _resolver.Resolve(spec.FileName);
        var commandLine = CommandLine.Format(spec, _redactor);
        LogStarting(_logger, commandLine);
        var process = new Process { StartInfo = CreateStartInfo(executable, spec) };
        try
        {
            Start(process, spec.FileName, executable);
        }
        catch
        {
            process.Dispose();
            throw;
        }

        var tool = Path.GetFileNameWithoutExtension(spec.FileName);
        return new BackgroundProcess(process, commandLine, text => Redact(text, spec), (stream, line) => LogLine(spec, tool, stream, line), _time);
    }

    internal static ProcessStartInfo CreateStartInfo(string executable, ProcessSpec spec)
    {
        var info = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            CreateNoWindow = true,

            // Always redirected: an inherited stdin could make a CLI wait for a terminal prompt.
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = Utf8NoBom,
            StandardOutputEncoding = Utf8NoBom,
            StandardErrorEncoding = Utf8NoBom,
            WorkingDirectory = spec.WorkingDirectory ?? string.Empty,
        };
        foreach (var argument in spec.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in spec.Environment)
        {
            info.Environment[name] = value;
        }

        return info;
    }

    internal static void Start(Process process, string fileName, string executable)
    {
        try
        {
            process.Start();
        }
        catch (Win32Exception ex) when (ex.NativeErrorCode == 2)
        {
            // Resolved a moment ago but gone now (or a broken interpreter line in a script).
            throw new ToolNotFoundException($"'{fileName}' could not be started from {executable}: {ex.Message}. {ToolInstallHints.For(fileName)}", ex);
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException($"'{fileName}' could not be started from {executable}: {ex.Message}. Check that the file is an executable for this platform and that you may run it.", ex);
        }
    }

    internal static void KillProcessTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
        catch (Win32Exception)
        {
            // Exited between the check and the signal, or a child we may not signal: nothing more to do.
        }
    }

    private static async Task FeedStandardInputAsync(Process process, string? input, CancellationToken cancellationToken)
    {
        try
        {
            var writer = process.StandardInput;
            if (input is not null)
            {
                await writer.WriteAsync(input.AsMemory(), cancellationToken);
                await writer.FlushAsync(cancellationToken);
            }

            writer.Close();
        }
        catch (IOException)
        {
            // The child exited without reading all of stdin; its exit code tells the story.
        }
        catch (OperationCanceledException)
        {
            // Cancellation is handled by the caller, which kills the process.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task WaitForExitAfterKillAsync(Process process)
    {
        try
        {
            await process.WaitForExitAsync(CancellationToken.None).WaitAsync(OutputDrainGrace, _time);
        }
        catch (TimeoutException)
        {
            // The kernel has the SIGKILL; do not hang the caller on it.
        }
    }

    private async Task DrainAsync(OutputPump stdout, OutputPump stderr, Task stdin)
    {
        try
        {
            await Task.WhenAll(stdout.Completion, stderr.Completion, stdin).WaitAsync(OutputDrainGrace, _time);
        }
        catch (TimeoutException)
        {
            // A grandchild outside the process tree still holds a pipe: keep what was read.
        }
    }

    private string Redact(string text, ProcessSpec spec) => CommandLine.Redact(text, spec, _redactor);

    private void LogLine(ProcessSpec spec, string tool, string stream, string line)
    {
        if (spec.LogOutput && _logger.IsEnabled(LogLevel.Debug))
        {
            LogOutputLine(_logger, tool, stream, Redact(line, spec));
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "run: {CommandLine}")]
    private static partial void LogStarting(ILogger logger, string commandLine);

    [LoggerMessage(Level = LogLevel.Debug, Message = "exit {ExitCode} after {Seconds:F1}s: {CommandLine}")]
    private static partial void LogFinished(ILogger logger, string commandLine, int exitCode, double seconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "cancelled, process tree killed: {CommandLine}")]
    private static partial void LogCancelled(ILogger logger, string commandLine);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Tool} {Stream}| {Line}")]
    private static partial void LogOutputLine(ILogger logger, string tool, string stream, string line);
}
