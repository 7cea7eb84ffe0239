using System.CommandLine;
using MultiDcVault.Cli.Commands;

namespace MultiDcVault.Cli;

/// <summary>Builds the <c>multidc</c> command tree and maps parse errors to exit code 2.</summary>
internal static class CliApp
{
    public static RootCommand Build(CliConsole console)
    {
        var root = new RootCommand(
            "multidc: a multi-datacenter HashiCorp Vault (kind + MetalLB + Bank-Vaults) on one machine.\n" +
            ExitCodes.HelpText);
        root.Subcommands.Add(PlanCommand.Create(console));
        return root;
    }

    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken)
    {
        var root = Build(console);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // One clear line, not a help dump: scripts and people both read it.
            await console.Error.WriteLineAsync($"multidc: {parsed.Errors[0].Message} (see 'multidc --help')");
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
