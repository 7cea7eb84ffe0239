using System.CommandLine;
using System.Globalization;
using MultiDcVault.Cli.Operations;
using MultiDcVault.Cli.Output;
using MultiDcVault.Harness.Drills;
using MultiDcVault.Harness.Environment;
using MultiDcVault.Harness.Timeline;

namespace MultiDcVault.Cli.Commands;

/// <summary>
/// <c>multidc failover</c>: takes the Raft leader away (delete its pod, pause its datacenter, or
/// partition it), waits for a new leader while writers keep writing, prints the RTO, heals (unless
/// --no-heal) and checks every acknowledged write is still readable; writes the run report (JSON, Markdown and the
/// timeline picture) into &lt;work dir&gt;/reports/&lt;run id&gt;/. Exit 0 when the drill passed.
/// </summary>
internal static class FailoverCommand
{
    public static Command Create(CliConsole console, CliServices services)
    {
        var settings = new SettingOptions("failover");
        var mode = new Option<string>("--mode")
        {
            Description = "pod-loss: delete the leader's Vault pod (the StatefulSet recreates it; the report says how long it was gone); " +
                          "pause: docker pause the leader's datacenter; partition: cut it off with iptables",
            DefaultValueFactory = _ => DrillFaults.Name(FailoverMode.PodLoss),
        };
        mode.AcceptOnlyFromAmong([.. DrillFaults.ModeNames]);
        var noHeal = new Option<bool>("--no-heal") { Description = "Leave the fault in place afterwards (undo later with 'multidc heal')" };
        var command = new Command("failover", "Fail the Raft leader over, print the recovery time (RTO) and verify no acknowledged write was lost") { mode, noHeal };
        settings.AddTo(command);
        command.SetAction((parse, cancellationToken) => CommandExecution.RunAsync(console, "failover", async () =>
        {
            var options = settings.Bind(parse, console);
            var drillOptions = new FailoverDrillOptions
            {
                Mode = DrillFaults.ParseMode(parse.GetValue(mode)!),
                Heal = !parse.GetValue(noHeal),
            };
            await using var environment = EnvironmentAccess.Create(options, console, services);
            var handle = await EnvironmentAccess.AttachAsync(environment, cancellationToken);
            var progress = new LineProgress(console.Error);
            var startedAt = services.TimeProvider.GetUtcNow();
            var result = await services.RunFailoverDrill(handle, drillOptions, progress, cancellationToken);

            await console.Out.WriteLineAsync(result.Describe());
            await console.Out.WriteLineAsync(result.Rto.Recovery is { } rto
                ? $"RTO: {rto.TotalSeconds:0.0}s ({result.OldLeader} -> {result.NewLeader})"
                : $"RTO: no new leader took writes ({result.Rto.FailureText ?? "no write was acknowledged by another datacenter"})");
            // After the verdict is printed, so a report that cannot be written does not hide it.
            var runId = string.Create(CultureInfo.InvariantCulture, $"failover-{startedAt:yyyyMMdd-HHmmss}");
            var reportDirectory = RunReportWriter.DirectoryFor(options.WorkDirectory, runId);
            var report = result.ToRunReport(runId, startedAt, services.TimeProvider.GetUtcNow());
            IReadOnlyList<(string, RunTimeline)> timelines = result.Timeline is { } timeline ? [($"failover: {result.Fault}", timeline)] : [];
            await RunReportWriter.WriteAsync(report, timelines, reportDirectory, cancellationToken);
            await console.Out.WriteLineAsync($"Report: {reportDirectory}");
            if (!drillOptions.Heal)
            {
                await console.Out.WriteLineAsync($"The fault {result.Fault} is still in place: run 'multidc heal' to undo it.");
            }

            return result.Passed ? ExitCodes.Ok : ExitCodes.Failed;
        }, cancellationToken));
        return command;
    }

    /// <summary>The real drill: TLS to every datacenter with the root token, real faults.</summary>
    internal static async Task<FailoverDrillResult> RunRealDrillAsync(
        EnvironmentHandle handle, FailoverDrillOptions options, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        using var drill = await FailoverDrill.ForEnvironmentAsync(handle, options, cancellationToken);
        return await drill.RunAsync(progress, cancellationToken);
    }
}
