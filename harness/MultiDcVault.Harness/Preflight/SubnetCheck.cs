using MultiDcVault.Harness.Clusters.Docker;
using MultiDcVault.Harness.Configuration;
using MultiDcVault.Harness.Infrastructure.Docker;
using MultiDcVault.Harness.Planning;

namespace MultiDcVault.Harness.Preflight;

/// <summary>
/// Whether the MetalLB pools will fit, checked against what exists: the shared network when it is there, else the
/// subnet the harness would create it with (its size, other Docker networks it would overlap, host routes it would
/// shadow). With neither there is nothing to check: Docker picks the subnet at up, so the line says skipped.
/// </summary>
internal static class SubnetCheck
{
    public const string Fix = "Give the shared network a larger subnet (a /24 or bigger), remove stale containers from it, or lower the pool size.";

    /// <summary>A host route: its destination and the interface it goes out of.</summary>
    public sealed record HostRoute(IpNetwork Destination, string Interface);

    public static async Task<PreflightCheck> RunAsync(
        DockerClient docker, MultiDcOptions options, IReadOnlyList<HostRoute> hostRoutes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(docker);
        ArgumentNullException.ThrowIfNull(options);
        var name = options.NetworkName;
        if (await docker.Networks.TryInspectAsync(name, cancellationToken) is not null)
        {
            var layout = await new DockerNetworkInspector(docker).ReadLayoutAsync(name, cancellationToken);
            return Fits(layout, options, $"network '{name}' ({string.Join(", ", layout.Subnets.Select(s => s.Subnet))})");
        }

        if (options.NetworkSubnet is not { } subnetText)
        {
            return PreflightCheck.Skipped(
                PreflightRunner.SubnetName,
                $"not checked: network '{name}' does not exist yet and no subnet is given ({MultiDcSettings.NetworkSubnet.Name} / {MultiDcSettings.NetworkSubnet.CliOption}), so Docker picks one at up.");
        }

        var planned = NetworkLayoutParser.Parse(name, [subnetText], [], []);
        var fit = Fits(planned, options, $"subnet {subnetText} for the new network '{name}'");
        if (fit.Status != PreflightStatus.Ok || !IpNetwork.TryParse(subnetText, out var subnet, out _))
        {
            return fit;
        }

        foreach (var other in await docker.Networks.ListAsync(new Dictionary<string, string?>(), cancellationToken))
        {
            foreach (var config in other.IPAM?.Config ?? [])
            {
                if (IpNetwork.TryParse(config.Subnet, out var taken, out _) && taken!.Overlaps(subnet!))
                {
                    return PreflightCheck.Fail(
                        PreflightRunner.SubnetName,
                        $"subnet {subnetText} overlaps Docker network '{other.Name}' ({config.Subnet}); Docker refuses overlapping pools.",
                        "Choose a subnet no other Docker network uses (`docker network inspect` shows theirs).");
                }
            }
        }

        // Docker's own bridges are networks, checked above; any other route into the subnet is the host's.
        var shadowed = hostRoutes.FirstOrDefault(r => r.Destination.PrefixLength > 0 && r.Destination.Overlaps(subnet!) && !IsDockerBridge(r.Interface));
        return shadowed is null
            ? fit
            : PreflightCheck.Warn(
                PreflightRunner.SubnetName,
                $"subnet {subnetText} overlaps the host route {shadowed.Destination} via {shadowed.Interface}: hosts there become unreachable from this machine while the network exists.",
                "Choose a subnet outside the host's routes (`ip route` lists them).");
    }

    /// <summary>The IPv4 routes of /proc/net/route (Linux); none elsewhere, where the route check is then not made.</summary>
    public static IReadOnlyList<HostRoute> ReadLinuxRoutes(string path = "/proc/net/route")
    {
        if (!File.Exists(path))
        {
            return [];
        }

        // Columns: Iface Destination Gateway Flags RefCnt Use Metric Mask ...; addresses are little-endian hex.
        var routes = new List<HostRoute>();
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var fields = line.Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 8
                || !uint.TryParse(fields[1], System.Globalization.NumberStyles.HexNumber, null, out var destination)
                || !uint.TryParse(fields[7], System.Globalization.NumberStyles.HexNumber, null, out var mask))
            {
                continue;
            }

            var prefix = System.Numerics.BitOperations.PopCount(mask);
            var text = $"{new System.Net.IPAddress(destination)}/{prefix}";
            if (IpNetwork.TryParse(text, out var network, out _))
            {
                routes.Add(new HostRoute(network!, fields[0]));
            }
        }

        return routes;
    }

    private static PreflightCheck Fits(NetworkLayout layout, MultiDcOptions options, string what)
    {
        try
        {
            var pools = SubnetPlanner.Plan(layout, options.ClusterNames, options.PoolSize);
            return PreflightCheck.Ok(
                PreflightRunner.SubnetName,
                $"{what} has room for {pools.Count} pools of {options.PoolSize} ({string.Join(", ", pools.Select(p => p.AddressPools[0]))}).");
        }
        catch (SubnetPlanningException ex)
        {
            return PreflightCheck.Fail(PreflightRunner.SubnetName, ex.Message, Fix);
        }
    }

    private static bool IsDockerBridge(string name) => name == "docker0" || name.StartsWith("br-", StringComparison.Ordinal);
}
