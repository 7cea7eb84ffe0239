using System.CommandLine;
using MultiDcVault.Cli.Operations;
using MultiDcVault.Cli.Output;

namespace MultiDcVault.Cli.Commands;

/// <summary><c>multidc up</c>: brings the environment up, keeps it, and prints how to reach it.</summary>
internal static class UpCommand
{
    public static Command Create(CliConsole console, CliServices services)
    {
        var settings = new SettingOptions("up");
        var installTools = new Option<bool>("--install-tools") { Description = "Download pinned kind, helm and kubectl (SHA-256 verified) into the tool cache when missing" };
        var command = new Command("up", "Create the clusters, central Vault, operator and Raft cluster; keep them running and print the endpoints") { installTools };
        settings.AddTo(command);
        command.SetAction((parse, cancellationToken) => CommandExecution.RunAsync(console, "up", async () =>
        {
            var options = settings.Bind(parse, console);
            string? toolDirectory = null;
            if (parse.GetValue(installTools))
            {
                var setup = new ToolSetup(console, services);
                await setup.InstallAsync(setup.Missing(), cancellationToken);
                toolDirectory = setup.Cache.BinDirectory;
            }

            await using var environment = EnvironmentAccess.Create(options, console, services, toolDirectory);
            var (handle, progress) = await PhaseProgress.RunAsync(console, p => environment.UpAsync(p, cancellationToken));
            await progress.PrintTimingsAsync(console.Error);
            await UpSummary.PrintAsync(console, handle, cancellationToken);
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }
}
