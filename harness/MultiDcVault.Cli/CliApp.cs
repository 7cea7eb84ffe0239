using System.CommandLine;
using MultiDcVault.Cli.Commands;

namespace MultiDcVault.Cli;

/// <summary>Builds the <c>multidc</c> command tree and maps parse errors to exit code 2.</summary>
internal static class CliApp
{
    public static RootCommand Build(CliConsole console, CliServices services)
    {
        var root = new RootCommand(
            "multidc: a multi-datacenter HashiCorp Vault (kind + MetalLB + Bank-Vaults) on one machine.\n" +
            ExitCodes.HelpText);
        root.Subcommands.Add(PlanCommand.Create(console));
        root.Subcommands.Add(DoctorCommand.Create(console, services));
        root.Subcommands.Add(UpCommand.Create(console, services));
        root.Subcommands.Add(StatusCommand.Create(console, services));
        root.Subcommands.Add(TokenCommand.Create(console, services));
        root.Subcommands.Add(FailoverCommand.Create(console, services));
        root.Subcommands.Add(ScenarioCommand.Create(console, services));
        root.Subcommands.Add(FaultCommands.Partition(console, services));
        root.Subcommands.Add(FaultCommands.Latency(console, services));
        root.Subcommands.Add(FaultCommands.Heal(console, services));
        root.Subcommands.Add(LogsCommand.Create(console, services));
        root.Subcommands.Add(DownCommand.Create(console, services));
        return root;
    }

    public static Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken) =>
        RunAsync(args, console, CliServices.Default, cancellationToken);

    public static async Task<int> RunAsync(string[] args, CliConsole console, CliServices services, CancellationToken cancellationToken)
    {
        var root = Build(console, services);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // One clear line, not a help dump: scripts and people both read it.
            // "Required command was not provided" hides the useful "Unrecognized command 'x'" behind it.
            var error = parsed.Errors.FirstOrDefault(e => !e.Message.StartsWith("Required command", StringComparison.Ordinal)) ?? parsed.Errors[0];
            var message = string.Join(' ', error.Message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            // Point at the help of the command that was being parsed: its options are the ones to fix.
            var help = parsed.CommandResult.Command is RootCommand ? "multidc --help" : $"multidc {parsed.CommandResult.Command.Name} --help";
            await console.Error.WriteLineAsync($"multidc: {message} (see '{help}')");
            return ExitCodes.BadInput;
        }

        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = console.Out, Error = console.Error }, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await console.Error.WriteLineAsync("multidc: interrupted");
            return ExitCodes.Cancelled;
        }
    }
}
