using System.CommandLine;
using MultiDcVault.Cli.Operations;
using MultiDcVault.Cli.Output;
using MultiDcVault.Harness.Infrastructure.Processes;
using MultiDcVault.Harness.Preflight;
using MultiDcVault.Harness.Provisioning;

namespace MultiDcVault.Cli.Commands;

/// <summary><c>multidc doctor [--fix]</c>: every prerequisite with its fix; --fix installs missing pinned tools. Exit 3 when something fails.</summary>
internal static class DoctorCommand
{
    public static Command Create(CliConsole console, CliServices services)
    {
        var settings = new SettingOptions("doctor");
        var fix = new Option<bool>("--fix") { Description = "Install missing or too old kind, helm and kubectl (pinned versions, SHA-256 verified) into the tool cache" };
        var output = OutputFormat.CreateOption();
        var command = new Command("doctor", "Check Docker, kind, kubectl, helm, inotify limits and memory; print each problem with its fix") { fix, output };
        settings.AddTo(command);
        command.SetAction((parse, cancellationToken) => CommandExecution.RunAsync(console, "doctor", async () =>
        {
            var options = settings.Bind(parse, console);
            var setup = new ToolSetup(console, services);
            var report = await services.RunPreflight(new ExecutableResolver(setup.Cache.ExistingBinDirectory), options, cancellationToken);
            IReadOnlyList<ProvisionedTool> installed = [];
            if (parse.GetValue(fix))
            {
                var failedTools = setup.Named(report.Checks.Where(c => c.Status == PreflightStatus.Fail).Select(c => c.Name));
                if (failedTools.Count > 0)
                {
                    installed = await setup.InstallAsync(failedTools, cancellationToken);
                    report = await services.RunPreflight(setup.Resolver, options, cancellationToken);
                }
            }

            if (parse.GetValue(output) == OutputFormat.Json)
            {
                await console.Out.WriteLineAsync(ToJson(report, installed));
            }
            else
            {
                foreach (var line in report.Lines)
                {
                    await console.Out.WriteLineAsync(line);
                }

                await console.Out.WriteLineAsync(report.HasFailures
                    ? "Not ready: fix the [FAIL] lines above" + (parse.GetValue(fix) ? "." : " ('multidc doctor --fix' installs missing kind, helm and kubectl).")
                    : "Ready for 'multidc up'.");
            }

            return report.HasFailures ? ExitCodes.PrerequisitesMissing : ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    internal static string ToJson(PreflightReport report, IReadOnlyList<ProvisionedTool> installed) => CliJson.Serialize(new
    {
        ready = !report.HasFailures,
        checks = report.Checks.Select(c => new { name = c.Name, status = c.Status.ToString().ToLowerInvariant(), detail = c.Detail, fix = c.Fix }),
        installed = installed.Select(t => new
        {
            name = t.Release.Name,
            version = t.Release.Version,
            path = t.LinkPath,
            sha256 = t.Sha256,
            checksum = t.ChecksumOrigin == ChecksumOrigin.Pinned ? "pinned" : "publisher",
        }),
    });
}
