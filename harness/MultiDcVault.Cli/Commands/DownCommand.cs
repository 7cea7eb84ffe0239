using System.CommandLine;
using MultiDcVault.Cli.Operations;
using MultiDcVault.Cli.Output;
using MultiDcVault.Harness.Health;

namespace MultiDcVault.Cli.Commands;

/// <summary>
/// <c>multidc down [--all [--force]]</c>: tears this environment down, or the labelled leftovers of dead owners and of this
/// session (a live owner's only with --force).
/// </summary>
internal static class DownCommand
{
    public static Command Create(CliConsole console, CliServices services)
    {
        var settings = new SettingOptions("down");
        var all = new Option<bool>("--all")
        {
            Description = "Remove the leftovers of every session whose owner process is gone (and this session's): kind clusters on our networks, labelled containers, networks and volumes",
        };
        var force = new Option<bool>("--force") { Description = "With --all: remove live owners' leftovers too (another run's on a shared machine)" };
        var command = new Command("down", "Delete the clusters, the central Vault and the network of this environment") { all, force };
        command.Validators.Add(result =>
        {
            if (result.GetValue(force) && !result.GetValue(all))
            {
                result.AddError("--force only goes with --all.");
            }
        });
        settings.AddTo(command);
        command.SetAction((parse, cancellationToken) => CommandExecution.RunAsync(console, "down", async () =>
        {
            var options = settings.Bind(parse, console);
            TeardownReport report;
            var sweepAll = parse.GetValue(all);
            if (sweepAll)
            {
                report = await services.SweepAllSessions(options, EnvironmentAccess.EnvironmentServicesFor(console, services), parse.GetValue(force), cancellationToken);
                if (report.LiveOwnersRemoved.Count > 0)
                {
                    await console.Error.WriteLineAsync(
                        $"warning: --force removed resources of live owners (host/pid): {string.Join(", ", report.LiveOwnersRemoved)}.");
                }
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

            await PrintAsync(console, report, sweepAll ? (parse.GetValue(force) ? "of any session" : $"of session '{options.Session}' or of any session whose owner is gone") : $"of session '{options.Session}'");
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
