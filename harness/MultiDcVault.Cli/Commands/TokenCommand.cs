using System.CommandLine;
using MultiDcVault.Cli.Operations;

namespace MultiDcVault.Cli.Commands;

/// <summary><c>multidc token</c>: saves the root token to a 0600 file; prints it only with --reveal.</summary>
internal static class TokenCommand
{
    public static Command Create(CliConsole console, CliServices services)
    {
        var settings = new SettingOptions("token");
        var reveal = new Option<bool>("--reveal") { Description = "Print the root token itself on stdout (for VAULT_TOKEN=$(multidc token --reveal))" };
        var command = new Command("token", "Save the Vault root token to a file only you can read and print how to use it") { reveal };
        settings.AddTo(command);
        command.SetAction((parse, cancellationToken) => CommandExecution.RunAsync(console, "token", async () =>
        {
            var options = settings.Bind(parse, console);
            await using var environment = EnvironmentAccess.Create(options, console, services);
            var handle = await EnvironmentAccess.AttachAsync(environment, cancellationToken);
            if (parse.GetValue(reveal))
            {
                var token = await handle.ReadRootTokenAsync(cancellationToken);
                await console.Out.WriteLineAsync(token.Reveal());
                return ExitCodes.Ok;
            }

            var path = await AccessFiles.WriteRootTokenAsync(handle, cancellationToken);
            await console.Out.WriteLineAsync($"Root token saved to {path} (mode 0600). Use it with:");
            await console.Out.WriteLineAsync($"  export VAULT_TOKEN=\"$(cat {path})\"");
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }
}
