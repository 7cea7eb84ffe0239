using System.CommandLine;
using MultiDcVault.Cli.Operations;
using MultiDcVault.Cli.Output;
using MultiDcVault.Harness.Health;

namespace MultiDcVault.Cli.Commands;

/// <summary><c>multidc down [--all]</c>: tears this environment down, or every labelled leftover of any session.</summary>
internal static class DownCommand
{
    public static Command Create(CliConsole console, CliServices services)
    {
        var settings = new SettingOptions("down");
        var all = new Option<bool>("--all") { Description = "Remove the leftovers of every session: kind clusters on our networks, labelled containers and networks" };
        var command = new Command("down", "Delete the clusters, the central Vault and the network of this environment") { all };
        settings.AddTo(command);
        command.SetAction((parse, cancellationToken) => CommandExecution.RunAsync(console, "down", async () =>
        {
            var options = settings.Bind(parse, console);
            TeardownReport report;
            var sweepAll = parse.GetValue(all);
            if (sweepAll)
            {
                report = await services.SweepAllSessions(options, EnvironmentAccess.EnvironmentServicesFor(console, services), cancellationToken);
            }
            else
            {
                // Down stays idempotent (exit 0) but says so: a wrong --session would otherwise look like success.
                if (!EnvironmentAccess.WasEverStarted(options))
                {
                    await console.Error.WriteLineAsync(
                        $"multidc down: {EnvironmentAccess.NoEnvironmentMessage(options)} Removing any leftovers under its names anyway.");
                }

                await using var environment = EnvironmentAccess.Create(options, console, services);
                var (result, progress) = await PhaseProgress.RunAsync(console, p => environment.DownAsync(p, cancellationToken));
                await progress.PrintTimingsAsync(console.Error);
                report = result;
            }

            await PrintAsync(console, report, sweepAll ? "of any session" : $"of session '{options.Session}'");
            return report.Problems.Count == 0 ? ExitCodes.Ok : ExitCodes.Failed;
        }, cancellationToken));
        return command;
    }

    private static async Task PrintAsync(CliConsole console, TeardownReport report, string whose)
    {
        foreach (var note in report.Notes)
        {
            await console.Error.WriteLineAsync($"note: {note}");
        }

        if (report.RemovedNothing)
        {
            await console.Out.WriteLineAsync($"Nothing to remove: no clusters, containers, networks or volumes {whose} were found.");
            return;
        }

        await console.Out.WriteLineAsync($"Deleted clusters: {List(report.ClustersDeleted)}");
        await console.Out.WriteLineAsync($"Removed containers: {List(report.ContainersRemoved)}");
        await console.Out.WriteLineAsync($"Removed networks: {List(report.NetworksRemoved)}");
        if (report.VolumesRemoved.Count > 0)
        {
            await console.Out.WriteLineAsync($"Removed volumes: {List(report.VolumesRemoved)}");
        }
        foreach (var problem in report.Problems)
        {
            await console.Error.WriteLineAsync($"problem: {problem}");
        }
    }

    private static string List(IReadOnlyList<string> items) => items.Count == 0 ? "none" : string.Join(", ", items);
}
