using System.CommandLine;
using MultiDcVault.Cli.Operations;
using MultiDcVault.Cli.Output;

namespace MultiDcVault.Cli.Commands;

/// <summary>
/// <c>multidc status</c>: one row per datacenter; exit 0 healthy, 1 degraded. A datacenter the harness partitioned
/// or paused reads "unreachable (partitioned)" / "unreachable (paused)": still degraded (exit 1), but said to be the
/// injected fault, not an error.
/// </summary>
internal static class StatusCommand
{
    public static Command Create(CliConsole console, CliServices services)
    {
        var settings = new SettingOptions("status");
        var output = OutputFormat.CreateOption();
        var command = new Command("status", "Per datacenter: LB IP, pod, sealed, Raft role, last contact, autopilot health; a DC the harness partitioned or paused shows as 'unreachable (partitioned)'/'(paused)'. Exit 0 healthy, 1 degraded (also while an injected fault is in place)") { output };
        settings.AddTo(command);
        command.SetAction((parse, cancellationToken) => CommandExecution.RunAsync(console, "status", async () =>
        {
            var options = settings.Bind(parse, console);
            await using var environment = EnvironmentAccess.Create(options, console, services);
            await EnvironmentAccess.AttachAsync(environment, cancellationToken);
            var status = await environment.GetStatusAsync(cancellationToken);
            if (parse.GetValue(output) == OutputFormat.Json)
            {
                await console.Out.WriteLineAsync(StatusView.ToJson(status));
            }
            else
            {
                StatusView.Render(console.CreateAnsiConsole(), status);
            }

            return status.Healthy ? ExitCodes.Ok : ExitCodes.Failed;
        }, cancellationToken));
        return command;
    }
}
