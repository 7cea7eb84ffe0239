using System.CommandLine;
using MultiDcVault.Cli.Operations;

namespace MultiDcVault.Cli.Commands;

/// <summary><c>multidc logs [dc]</c>: writes the diagnostics bundle and prints where it is.</summary>
internal static class LogsCommand
{
    public static Command Create(CliConsole console, CliServices services)
    {
        var settings = new SettingOptions("logs");
        var datacenter = new Argument<string?>("dc") { Description = "Also print this datacenter's folder in the bundle", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("logs", "Write the diagnostics bundle (kind logs, kubectl state, Vault and operator logs, Raft state; tokens redacted) and print its path") { datacenter };
        settings.AddTo(command);
        command.SetAction((parse, cancellationToken) => CommandExecution.RunAsync(console, "logs", async () =>
        {
            var options = settings.Bind(parse, console);
            var name = parse.GetValue(datacenter);
            if (name is not null && !options.ClusterNames.Contains(name, StringComparer.Ordinal))
            {
                throw new CliUsageException($"no datacenter '{name}': use one of {string.Join(", ", options.ClusterNames)}");
            }

            // Without any recorded state there is nothing to collect: an empty bundle would only mislead.
            if (!EnvironmentAccess.WasEverStarted(options))
            {
                throw new NoEnvironmentException(EnvironmentAccess.NoEnvironmentMessage(options));
            }

            await using var environment = EnvironmentAccess.Create(options, console, services);
            var bundle = await environment.WriteDiagnosticsAsync(name is null ? "multidc logs" : $"multidc logs {name}", cancellationToken);
            await console.Out.WriteLineAsync(bundle);
            if (name is not null && Directory.Exists(Path.Combine(bundle, name)))
            {
                await console.Out.WriteLineAsync(Path.Combine(bundle, name));
            }

            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }
}
