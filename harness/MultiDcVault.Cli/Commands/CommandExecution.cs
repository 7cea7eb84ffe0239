using MultiDcVault.Harness.Environment;
using MultiDcVault.Harness.Infrastructure.Secrets;
using MultiDcVault.Harness.Configuration;
using MultiDcVault.Harness.Health;
using MultiDcVault.Harness.Infrastructure.Docker;
using MultiDcVault.Harness.Planning;
using MultiDcVault.Harness.Provisioning;

namespace MultiDcVault.Cli.Commands;

/// <summary>
/// Runs one command body and turns what it throws into the documented exit codes, each with a
/// message a person can act on: bad input 2 (one line), prerequisites 3 (one line per problem),
/// failures 1 (with the diagnostics bundle when there is one), Ctrl-C 130.
/// </summary>
internal static class CommandExecution
{
    public static async Task<int> RunAsync(CliConsole console, string command, Func<Task<int>> body, CancellationToken cancellationToken)
    {
        var prefix = $"multidc {command}";
        try
        {
            return await body();
        }
        catch (Exception e) when (e is OptionsValidationException or SubnetPlanningException or CliUsageException)
        {
            await console.Error.WriteLineAsync($"{prefix}: {PlanCommand.OneLine(e)}");
            return ExitCodes.BadInput;
        }
        catch (PrerequisitesMissingException e)
        {
            await console.Error.WriteLineAsync($"{prefix}: prerequisites missing (nothing was changed):");
            var problems = e.Problems.Count > 0 ? e.Problems : [e.Message];
            foreach (var problem in problems)
            {
                await console.Error.WriteLineAsync($"  {Redactor.Default.Redact(problem)}");
            }

            await console.Error.WriteLineAsync("Run 'multidc doctor' for every check, or 'multidc doctor --fix' to install kind, helm and kubectl.");
            return ExitCodes.PrerequisitesMissing;
        }
        catch (EnvironmentUpException e)
        {
            await console.Error.WriteLineAsync($"{prefix}: {Redactor.Default.Redact(Describe(e))}");
            await console.Error.WriteLineAsync(e.DiagnosticsPath is null
                ? "No diagnostics bundle was written; run 'multidc logs' to collect one."
                : $"Diagnostics: {e.DiagnosticsPath}");
            return ExitCodes.Failed;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await console.Error.WriteLineAsync($"{prefix}: interrupted");
            return ExitCodes.Cancelled;
        }
        catch (Exception e) when (DockerUnreachable(e) is { } docker)
        {
            await WriteDockerUnreachableAsync(console, prefix, docker);
            return ExitCodes.PrerequisitesMissing;
        }
        catch (ToolProvisioningException e)
        {
            await console.Error.WriteLineAsync($"{prefix}: {e.Message}");
            return ExitCodes.Failed;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await console.Error.WriteLineAsync($"{prefix}: {Redactor.Default.Redact(Describe(e))}");
            return ExitCodes.Failed;
        }
    }

    /// <summary>
    /// The one format of "no Docker engine answers", whichever command meets it: the problem, where the client
    /// looked (one place per line) and how to start Docker; always exit 3, as a missing prerequisite.
    /// </summary>
    internal static async Task WriteDockerUnreachableAsync(CliConsole console, string prefix, DockerUnavailableException docker, string? alternative = null)
    {
        await console.Error.WriteLineAsync($"{prefix}: {Redactor.Default.Redact(docker.Message)}");
        if (alternative is not null)
        {
            await console.Error.WriteLineAsync(alternative);
        }
    }

    /// <summary>The Docker-unreachable error anywhere in <paramref name="e"/>'s causes, or null.</summary>
    internal static DockerUnavailableException? DockerUnreachable(Exception e)
    {
        for (var current = e; current is not null; current = current.InnerException)
        {
            if (current is DockerUnavailableException docker)
            {
                return docker;
            }

            if (current is AggregateException aggregate)
            {
                return aggregate.InnerExceptions.Select(DockerUnreachable).FirstOrDefault(d => d is not null);
            }
        }

        return null;
    }

    /// <summary>The message and its causes on one line: "up failed: kind create failed: exit 1 ...".</summary>
    internal static string Describe(Exception e) => ExceptionText.OneLine(e);
}

/// <summary>Input a person must change (unknown datacenter, impossible latency); nothing was changed.</summary>
internal sealed class CliUsageException : Exception
{
    public CliUsageException()
    {
    }

    public CliUsageException(string message)
        : base(message)
    {
    }

    public CliUsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
