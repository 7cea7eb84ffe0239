using System.CommandLine;
using MultiDcVault.Harness.Configuration;
using MultiDcVault.Harness.Planning.Manifests;
using MultiDcVault.Harness.Planning;

namespace MultiDcVault.Cli.Commands;

/// <summary>
/// <c>multidc plan</c>: decides pools and renders every manifest without creating anything.
/// Bad input exits 2 with one line on stderr and writes nothing.
/// </summary>
internal static class PlanCommand
{
    public static Command Create(CliConsole console)
    {
        var output = new Option<string>("--out") { Description = "Directory for plan.json and the per-cluster manifests", Required = true };
        var subnets = new Option<string[]>("--subnet") { Description = "Network subnet (CIDR); once per address family. Without it the Docker network is read", AllowMultipleArgumentsPerToken = false };
        var gateways = new Option<string[]>("--gateway") { Description = "Gateway of a --subnet (default: the subnet's first address)" };
        var excludes = new Option<string[]>("--exclude") { Description = "Address (or CIDR) already in use; never put into a pool" };
        var settings = new SettingOptions("plan");
        var centralVault = new Option<string>("--central-vault-address") { Description = "Central Vault URL as the clusters reach it, e.g. http://172.18.0.2:8200" };

        var command = new Command("plan", "Write the plan (plan.json) and every manifest 'up' would apply, without creating anything")
        {
            output, subnets, gateways, excludes, centralVault,
        };
        settings.AddTo(command);

        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                var options = settings.Bind(parse, console);
                var network = await ReadNetworkAsync(
                    options,
                    parse.GetValue(subnets) ?? [],
                    parse.GetValue(gateways) ?? [],
                    parse.GetValue(excludes) ?? [],
                    cancellationToken);
                var values = RuntimeValuesFor(parse.GetValue(centralVault), network);
                var plan = EnvironmentPlanner.Create(options, network);
                var directory = parse.GetValue(output)!;
                var document = await new PlanWriter().WriteAsync(plan, values, directory, cancellationToken);
                await PrintAsync(console.Out, document, Path.GetFullPath(directory));
                return ExitCodes.Ok;
            }
            catch (NetworkUnavailableException e) when (CommandExecution.DockerUnreachable(e) is { } docker)
            {
                await CommandExecution.WriteDockerUnreachableAsync(console, "multidc plan", docker, "Or pass --subnet CIDR to plan without Docker.");
                return ExitCodes.PrerequisitesMissing;
            }
            catch (Exception e) when (e is OptionsValidationException or SubnetPlanningException or ArgumentException or NetworkUnavailableException or PlanOutputException)
            {
                await console.Error.WriteLineAsync($"multidc plan: {OneLine(e)}");
                return ExitCodes.BadInput;
            }
        });
        return command;
    }

    private static async Task<NetworkLayout> ReadNetworkAsync(
        MultiDcOptions options, string[] subnets, string[] gateways, string[] excludes, CancellationToken cancellationToken)
    {
        if (subnets.Length > 0)
        {
            return NetworkLayoutParser.Parse(options.NetworkName, subnets, gateways, excludes);
        }

        if (gateways.Length > 0)
        {
            throw new OptionsValidationException(["--gateway needs a --subnet to belong to"]);
        }

        // No subnet given: plan against the real network, with every attached container's address excluded.
        var fromDocker = await DockerNetworkReader.ReadAsync(options.NetworkName, cancellationToken);
        var extra = excludes.Length == 0
            ? []
            : NetworkLayoutParser.Parse(options.NetworkName, [.. fromDocker.Subnets.Select(s => s.Subnet)], [], excludes).UsedAddresses;
        return fromDocker with { UsedAddresses = [.. fromDocker.UsedAddresses, .. extra] };
    }

    private static RuntimeValues RuntimeValuesFor(string? centralVaultAddress, NetworkLayout network)
    {
        if (centralVaultAddress is null)
        {
            return RuntimeValues.Placeholders;
        }

        if (!Uri.TryCreate(centralVaultAddress, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new OptionsValidationException([$"--central-vault-address {centralVaultAddress} is not valid: use an http(s) URL such as http://172.18.0.2:8200"]);
        }

        // The clusters reach the central Vault on the shared network: an address literal outside it cannot work.
        if (System.Net.IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address)
            && !network.Subnets.Any(s => System.Net.IPNetwork.TryParse(s.Subnet, out var subnet) && subnet.Contains(address)))
        {
            throw new OptionsValidationException(
                [$"--central-vault-address {centralVaultAddress} is outside the network's subnets ({string.Join(", ", network.Subnets.Select(s => s.Subnet))}): the clusters reach the central Vault on that network"]);
        }

        return RuntimeValues.Placeholders with { CentralVaultAddress = centralVaultAddress };
    }

    private static async Task PrintAsync(TextWriter output, PlanDocument document, string directory)
    {
        await output.WriteLineAsync($"Plan for session '{document.Session}' on network '{document.Network.Name}' " +
            $"({string.Join(", ", document.Network.Subnets.Select(s => s.Subnet))}), unseal mode {document.UnsealMode}:");
        foreach (var cluster in document.Clusters)
        {
            await output.WriteLineAsync($"  {cluster.Name,-12} {cluster.Role,-8} pools {string.Join(", ", cluster.AddressPools)}");
        }

        await output.WriteLineAsync($"Wrote {Path.Combine(directory, PlanWriter.PlanFileName)} and {document.Clusters.Sum(c => c.Manifests.Count)} manifests.");
    }

    internal static string OneLine(Exception e) => e is OptionsValidationException validation && validation.Problems.Count > 0
        ? string.Join("; ", validation.Problems)
        : e.Message.ReplaceLineEndings(" ");
}
