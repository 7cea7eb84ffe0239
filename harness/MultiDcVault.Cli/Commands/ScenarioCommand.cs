using System.CommandLine;
using System.Globalization;
using MultiDcVault.Cli.Operations;
using MultiDcVault.Cli.Output;
using MultiDcVault.Harness.Environment;
using MultiDcVault.Harness.Configuration;
using MultiDcVault.Harness.Scenarios;
using MultiDcVault.Harness.Scenarios.RollingUpgrade;
using MultiDcVault.Harness.Timeline;

namespace MultiDcVault.Cli.Commands;

/// <summary>
/// <c>multidc scenario list</c> names the scenarios, one line each; <c>multidc scenario run NAME</c> runs one (every
/// variant in turn unless --variant) against the kept environment, prints progress and a verdict per variant, writes
/// each variant's report under the work directory, and exits 0 when every assertion held, 1 otherwise. Bad input
/// is refused (exit 2) before the environment is touched.
/// </summary>
internal static class ScenarioCommand
{
    public static Command Create(CliConsole console, CliServices services)
    {
        var command = new Command("scenario", "Scenarios no other harness runs: quorum loss, power cycle, rolling upgrade, soak ('scenario list')");
        command.Subcommands.Add(List(console));
        command.Subcommands.Add(Run(console, services));
        return command;
    }

    private static Command List(CliConsole console)
    {
        var list = new Command("list", "Name every scenario with one line each");
        list.SetAction(async (_, _) =>
        {
            var width = ScenarioCatalogue.All.Max(s => s.Name.Length);
            foreach (var scenario in ScenarioCatalogue.All)
            {
                var variants = scenario.Variants.Count == 0 ? string.Empty : $" [variants: {string.Join(", ", scenario.Variants)}]";
                await console.Out.WriteLineAsync($"{scenario.Name.PadRight(width)}  {scenario.Summary}{variants}");
            }

            return ExitCodes.Ok;
        });
        return list;
    }

    private static Command Run(CliConsole console, CliServices services)
    {
        var settings = new SettingOptions("scenario");
        var name = new Argument<string>("name") { Description = "The scenario ('multidc scenario list')" };
        var variant = new Option<string>("--variant") { Description = "Run only this variant (default: every variant in turn)" };
        var seed = new Option<string>("--seed") { Description = "soak: the schedule's seed (default: a new one, printed first)" };
        var minutes = new Option<string>("--minutes") { Description = "soak: how long the schedule runs, 1 to 1440 (default 10)" };
        var toImage = new Option<string>("--to-vault-image") { Description = "rolling-upgrade: the Vault image to upgrade to (default: the next version of the CI matrix)" };
        var noHeal = new Option<bool>("--no-heal") { Description = "quorum-loss: leave the majority away afterwards (undo with 'multidc heal')" };
        var run = new Command("run", "Run one scenario against the running environment and write its report") { name, variant, seed, minutes, toImage, noHeal };
        settings.AddTo(run);
        run.SetAction((parse, cancellationToken) => CommandExecution.RunAsync(console, "scenario run", async () =>
        {
            var request = new ScenarioRequest(
                parse.GetValue(name)!,
                parse.GetValue(variant),
                ParseSeed(parse.GetValue(seed)),
                ParseMinutes(parse.GetValue(minutes)),
                parse.GetValue(toImage),
                Heal: !parse.GetValue(noHeal));
            try
            {
                ScenarioCatalogue.Validate(request);
            }
            catch (ArgumentException ex)
            {
                throw new CliUsageException(ex.Message, ex);
            }

            var options = settings.Bind(parse, console);
            if (request.Name == RollingUpgradeScenario.ScenarioName && request.ToVaultImage is null)
            {
                // The option wins over the variable; with neither, the scenario takes the next matrix version after the image
                // the Vault CRs name (an impossible target is refused there, in one line, before anything changes).
                request = request with { ToVaultImage = console.ReadVariable(SupportedVaultVersions.UpgradeTargetVariable) is { Length: > 0 } image ? image : null };
            }

            await using var environment = EnvironmentAccess.Create(options, console, services);
            var handle = await EnvironmentAccess.AttachAsync(environment, cancellationToken);
            var progress = new LineProgress(console.Error, services.TimeProvider);
            var results = await services.RunScenario(handle, request, progress, cancellationToken);
            foreach (var result in results)
            {
                await console.Out.WriteLineAsync(result.Describe());
                var directory = await WriteReportAsync(handle, result, services.TimeProvider, cancellationToken);
                await console.Out.WriteLineAsync($"Report: {directory}");
            }

            if (!request.Heal)
            {
                await console.Out.WriteLineAsync("The faults are still in place: run 'multidc heal' to undo them.");
            }

            return results.All(r => r.Passed) ? ExitCodes.Ok : ExitCodes.Failed;
        }, cancellationToken));
        return run;
    }

    /// <summary>The real run: TLS to every datacenter with the root token, real faults.</summary>
    internal static Task<IReadOnlyList<ScenarioResult>> RunRealAsync(
        EnvironmentHandle handle, ScenarioRequest request, IProgress<string>? progress, CancellationToken cancellationToken) =>
        ScenarioRunner.RunAsync(handle, request, progress, cancellationToken);

    private static async Task<string> WriteReportAsync(EnvironmentHandle handle, ScenarioResult result, TimeProvider time, CancellationToken cancellationToken)
    {
        var runId = string.Create(CultureInfo.InvariantCulture,
            $"scenario-{result.Scenario}{(result.Variant.Length == 0 ? string.Empty : "-" + result.Variant)}-{time.GetUtcNow():yyyyMMdd-HHmmss}");
        var directory = RunReportWriter.DirectoryFor(handle.WorkDirectory, runId);
        IReadOnlyList<(string, RunTimeline)> timelines = result.Timeline is { } timeline ? [($"scenario {result.Title}", timeline)] : [];
        await RunReportWriter.WriteAsync(result.ToRunReport(runId), timelines, directory, cancellationToken);
        return directory;
    }

    private static long? ParseSeed(string? text) =>
        text is null ? null
        : long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0 ? value
        : throw new CliUsageException($"--seed must be a whole number of at least 0 (got '{text}')");

    private static TimeSpan? ParseMinutes(string? text) =>
        text is null ? null
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? TimeSpan.FromMinutes(value)
        : throw new CliUsageException($"--minutes must be a number of minutes (got '{text}')");
}
