using Docker.DotNet.Models;
using Engine = Docker.DotNet;

namespace MultiDcVault.Harness.Infrastructure.Docker;

/// <summary>Runs commands inside running containers (iptables, tc, ip, vault CLI...), also ones the harness did not create (kind nodes).</summary>
internal sealed class DockerExec
{
    private static readonly TimeSpan ExitCodePollInterval = TimeSpan.FromMilliseconds(50);
    private const int ExitCodePollAttempts = 100;
    private readonly Engine.DockerClient _engine;
    private readonly DockerCalls _calls;

    internal DockerExec(Engine.DockerClient engine, DockerCalls calls)
    {
        _engine = engine;
        _calls = calls;
    }

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
        var parameters = new ContainerExecCreateParameters
        {
            AttachStdout = true,
            AttachStderr = true,
            Cmd = [.. command],
            Env = options.Env.Count == 0 ? null! : [.. options.Env.Select(e => $"{e.Key}={e.Value}")],
            User = options.User!,
            WorkingDir = options.WorkingDir!,
            Privileged = options.Privileged,
        };
        var created = await _calls.RunAsync(
            $"POST /containers/{container}/exec", ct => _engine.Exec.CreateContainerExecAsync(container, parameters, ct), cancellationToken);

        var output = await _calls.StreamAsync(
            $"POST /exec/{created.ID}/start",
            async ct =>
            {
                using var stream = await _engine.Exec.StartContainerExecAsync(created.ID, new ContainerExecStartParameters(), ct);
                return await stream.ReadOutputToEndAsync(ct);
            },
            cancellationToken);

        var exitCode = await WaitForExitCodeAsync(created.ID, cancellationToken);
        return new ExecResult(exitCode, output.stdout, output.stderr);
    }

    // The stream ends when the process closes its outputs; the daemon records the exit code a moment later.
    private async Task<long> WaitForExitCodeAsync(string execId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var state = await _calls.RunAsync($"GET /exec/{execId}/json", ct => _engine.Exec.InspectContainerExecAsync(execId, ct), cancellationToken);
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

            await Task.Delay(ExitCodePollInterval, _calls.TimeProvider, cancellationToken);
        }
    }
}
