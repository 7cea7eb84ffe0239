
namespace MultiDcVault.Harness.Infrastructure.Docker;

/// <summary>Runs commands inside running containers (iptables, tc, ip, vault CLI...).</summary>
public sealed class DockerExec
{
    private static readonly TimeSpan ExitCodePollInterval = TimeSpan.FromMilliseconds(50);
    private const int ExitCodePollAttempts = 100;
    private readonly DockerTransport _transport;

    internal DockerExec(DockerTransport transport) => _transport = transport;

    /// <summary>
    /// Runs <paramref name="command"/> attached, captures stdout and stderr, and returns the exit code.
    /// A non-zero exit is a result, not an exception. Cancelling stops waiting; the process may keep
    /// running inside the container, so bound long commands with `timeout` in the command itself.
    /// </summary>
    public async Task<ExecResult> RunAsync(string container, IReadOnlyList<string> command, ExecOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.Count == 0)
        {
            throw new ArgumentException("An exec needs a command.", nameof(command));
        }

        options ??= new ExecOptions();
        var created = await _transport.PostJsonAsync<IdResponse>(
            $"containers/{Uri.EscapeDataString(container)}/exec",
            new
            {
                AttachStdin = false,
                AttachStdout = true,
                AttachStderr = true,
                Tty = false,
                Cmd = command,
                Env = options.Env.Count == 0 ? null : options.Env.Select(e => $"{e.Key}={e.Value}").ToArray(),
                options.User,
                options.WorkingDir,
                options.Privileged,
            },
            ErrorMap.Default,
            cancellationToken);

        ContainerOutput output;
        using (var response = await _transport.OpenStreamAsync(
                   HttpMethod.Post, $"exec/{created.Id}/start", new { Detach = false, Tty = false }, ErrorMap.Default, cancellationToken))
        await using (var stream = await response.Content.ReadAsStreamAsync(cancellationToken))
        {
            output = await DockerStreamDemultiplexer.ReadAllAsync(stream, cancellationToken);
        }

        var exitCode = await WaitForExitCodeAsync(created.Id, cancellationToken);
        return new ExecResult(exitCode, output.Stdout, output.Stderr);
    }

    // The stream ends when the process closes its outputs; the daemon records the exit code a moment later.
    private async Task<long> WaitForExitCodeAsync(string execId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var state = await _transport.GetJsonAsync<ExecState>($"exec/{execId}/json", ErrorMap.Default, cancellationToken);
            if (!state.Running && state.ExitCode is { } exitCode)
            {
                return exitCode;
            }

            if (attempt >= ExitCodePollAttempts)
            {
                throw new DockerApiException(System.Net.HttpStatusCode.OK,
                    $"exec {execId} closed its output but still runs (a background child may hold it open)",
                    $"GET /exec/{execId}/json",
                    "Redirect background processes' output (e.g. `cmd >/dev/null 2>&1 &`) so the exec can finish.");
            }

            await Task.Delay(ExitCodePollInterval, _transport.TimeProvider, cancellationToken);
        }
    }

    private sealed record ExecState(bool Running, long? ExitCode);
}
