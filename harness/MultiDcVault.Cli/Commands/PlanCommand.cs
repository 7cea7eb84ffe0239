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

        var command = new Command("plan", "Write the plan (plan.json) and every manifest 'up' would apply, without creating anything")
        {
            output, subnets, gateways, excludes,
        };
        settings.AddTo(command);

        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                var options = settings.Bind(parse, console);
                if (options.Provider == ClusterProvider.Existing)
                {
                    return await PlanExistingAsync(console, options, parse.GetValue(output)!, [
                        .. parse.GetValue(subnets)?.Length > 0 ? ["--subnet"] : Array.Empty<string>(),
                        .. parse.GetValue(gateways)?.Length > 0 ? ["--gateway"] : Array.Empty<string>(),
                        .. parse.GetValue(excludes)?.Length > 0 ? ["--exclude"] : Array.Empty<string>(),
                    ], cancellationToken);
                }

                var network = await ReadNetworkAsync(
                    options,
                    parse.GetValue(subnets) ?? [],
                    parse.GetValue(gateways) ?? [],
                    parse.GetValue(excludes) ?? [],
                    cancellationToken);
                var values = RuntimeValuesFor(options.CentralVaultAddress, network);
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

    /// <summary>
    /// Existing clusters: renders from the options alone (the binder parsed the kubeconfigs); no Docker engine and no
    /// cluster is asked anything. The central Vault's token is never read here: the plan shows its placeholder.
    /// </summary>
    private static async Task<int> PlanExistingAsync(
        CliConsole console, MultiDcOptions options, string directory, IReadOnlyList<string> kindOnlyOptions, CancellationToken cancellationToken)
    {
        if (kindOnlyOptions.Count > 0)
        {
            throw new OptionsValidationException([$"{string.Join(", ", kindOnlyOptions)} {(kindOnlyOptions.Count == 1 ? "is" : "are")} for --provider kind: existing clusters have no Docker network to plan pools in"]);
        }

        var plan = EnvironmentPlanner.CreateExisting(options);
        var values = RuntimeValues.Placeholders with { CentralVaultAddress = options.CentralVaultAddress };
        var document = await new PlanWriter().WriteAsync(plan, values, directory, cancellationToken);
        await console.Out.WriteLineAsync($"Plan for session '{document.Session}' on existing clusters, namespace '{document.Namespace}', unseal mode {document.UnsealMode}:");
        foreach (var cluster in document.Clusters)
        {
            await console.Out.WriteLineAsync($"  {cluster.Name,-12} {cluster.Role,-8} context {cluster.KubeContext} in {cluster.Kubeconfig}");
        }

        await console.Out.WriteLineAsync($"Wrote {Path.Combine(Path.GetFullPath(directory), PlanWriter.PlanFileName)} and {document.Clusters.Sum(c => c.Manifests.Count)} manifests.");
        return ExitCodes.Ok;
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

        // The binder checked that it is an http(s) URL.
        var uri = new Uri(centralVaultAddress);

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
        var network = document.Network!;
        await output.WriteLineAsync($"Plan for session '{document.Session}' on network '{network.Name}' " +
            $"({string.Join(", ", network.Subnets.Select(s => s.Subnet))}), unseal mode {document.UnsealMode}:");
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
