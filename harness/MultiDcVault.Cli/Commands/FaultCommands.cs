using System.CommandLine;
using MultiDcVault.Cli.Operations;
using MultiDcVault.Harness.Environment;
using MultiDcVault.Harness.Faults;

namespace MultiDcVault.Cli.Commands;

/// <summary>The fault catalogue by hand: <c>partition</c>, <c>latency</c> and <c>heal</c>.</summary>
internal static class FaultCommands
{
    public const int MaxLatencyMs = 10_000;

    public static Command Partition(CliConsole console, CliServices services)
    {
        var settings = new SettingOptions("partition");
        var datacenter = new Argument<string>("dc") { Description = "The datacenter (cluster name) to cut off from the others" };
        var command = new Command("partition", "Cut one datacenter off from the others (iptables in its kind nodes) until 'multidc heal'") { datacenter };
        settings.AddTo(command);
        command.SetAction((parse, cancellationToken) => CommandExecution.RunAsync(console, "partition", async () =>
        {
            var options = settings.Bind(parse, console);
            var name = parse.GetValue(datacenter)!;
            await using var environment = EnvironmentAccess.Create(options, console, services);
            var handle = await EnvironmentAccess.AttachAsync(environment, cancellationToken);
            RequireDatacenter(handle, name);
            var fault = handle.Faults.Partition(name);
            await fault.InjectAsync(cancellationToken);
            await console.Out.WriteLineAsync($"Injected {fault.Description}: '{name}' cannot reach the other datacenters. Undo with 'multidc heal'.");
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    public static Command Latency(CliConsole console, CliServices services)
    {
        var settings = new SettingOptions("latency");
        var ms = new Option<int>("--ms") { Description = $"One-way delay in milliseconds added to every packet a node sends (1..{MaxLatencyMs})", Required = true };
        var jitter = new Option<int>("--jitter-ms") { Description = "Jitter in milliseconds (0..--ms), normally distributed" };
        var only = new Option<string[]>("--dc") { Description = "Delay only these datacenters (repeatable); default all" };
        var command = new Command("latency", "Add WAN latency (tc netem) to the kind nodes until 'multidc heal'") { ms, jitter, only };
        settings.AddTo(command);
        command.SetAction((parse, cancellationToken) => CommandExecution.RunAsync(console, "latency", async () =>
        {
            var options = settings.Bind(parse, console);
            var delay = parse.GetValue(ms);
            var spread = parse.GetValue(jitter);
            if (delay is < 1 or > MaxLatencyMs)
            {
                throw new CliUsageException($"--ms {delay} is not valid: use 1..{MaxLatencyMs} milliseconds");
            }

            if (spread < 0 || spread > delay)
            {
                throw new CliUsageException($"--jitter-ms {spread} is not valid: use 0..{delay} (at most --ms)");
            }

            var datacenters = parse.GetValue(only) is { Length: > 0 } chosen ? chosen : null;
            await using var environment = EnvironmentAccess.Create(options, console, services);
            var handle = await EnvironmentAccess.AttachAsync(environment, cancellationToken);
            foreach (var name in datacenters ?? [])
            {
                RequireDatacenter(handle, name);
            }

            var fault = new LatencyFault(handle.NodeContainers, handle.FaultTopology, TimeSpan.FromMilliseconds(delay), TimeSpan.FromMilliseconds(spread), datacenters);
            await fault.InjectAsync(cancellationToken);
            await console.Out.WriteLineAsync($"Injected {fault.Description}. Undo with 'multidc heal'.");
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    public static Command Heal(CliConsole console, CliServices services)
    {
        var settings = new SettingOptions("heal");
        var command = new Command("heal", "Undo every fault the catalogue can leave: start stopped nodes and the central Vault, unpause nodes, drop partition rules and netem, check each Vault pod is back (safe to repeat)");
        settings.AddTo(command);
        command.SetAction((parse, cancellationToken) => CommandExecution.RunAsync(console, "heal", async () =>
        {
            var options = settings.Bind(parse, console);
            await using var environment = EnvironmentAccess.Create(options, console, services);
            var handle = await EnvironmentAccess.AttachForHealAsync(environment, cancellationToken);
            var steps = await handle.Faults.HealAllAsync(cancellationToken);
            foreach (var step in steps)
            {
                await (step.Succeeded ? console.Out : console.Error).WriteLineAsync(step.ToString());
            }

            var failed = steps.Count(s => !s.Succeeded);
            await console.Out.WriteLineAsync(failed == 0 ? "Healed." : $"{failed} heal step(s) failed; see above.");
            return failed == 0 ? ExitCodes.Ok : ExitCodes.Failed;
        }, cancellationToken));
        return command;
    }

    internal static void RequireDatacenter(EnvironmentHandle handle, string name)
    {
        if (!handle.FaultTopology.Datacenters.Any(d => d.Name == name))
        {
            throw new CliUsageException($"no datacenter '{name}' in this environment: use one of {string.Join(", ", handle.FaultTopology.Datacenters.Select(d => d.Name))}");
        }
    }
}
