using MultiDcVault.Harness.Configuration;
using System.Globalization;
using System.Net.Sockets;

namespace MultiDcVault.Harness.Planning;

/// <summary>
/// Splits the shared Docker network into one MetalLB address pool per cluster. Pure and deterministic.
/// </summary>
/// <remarks>
/// Rules:
/// <list type="bullet">
/// <item>The IPAM configs are picked by address family, never by position: the first IPv4
/// subnet and the first IPv6 subnet in list order (further subnets of a family are ignored).</item>
/// <item>Pools are carved from the top of each subnet downwards, because Docker hands out
/// container addresses from the bottom. Cluster 0 (the leader) gets the highest range,
/// cluster 1 the next lower one, and so on.</item>
/// <item>A pool never contains the network address, the all-ones address (IPv4 broadcast;
/// skipped for IPv6 too, harmlessly), the gateway (Docker's default, network+1, when the
/// config names none) or any address in use. A range that would contain one moves below it.</item>
/// <item>The lowest <see cref="ContainerHeadroom"/> addresses of each subnet stay free for
/// the kind nodes, which are created after planning.</item>
/// <item>The central Vault gets the highest free IPv4 address just below the pools
/// (<see cref="CentralVaultAddress"/>): fixed, so a restart keeps the address the clusters' seal
/// stanzas name, and above the addresses Docker hands out from the bottom.</item>
/// <item>Each pool is an inclusive range "first-last" (a single address is "a-a"), which
/// MetalLB accepts for both families.</item>
/// </list>
/// </remarks>
internal static class SubnetPlanner
{
    /// <summary>
    /// Addresses kept free at the bottom of a subnet for containers that do not exist yet:
    /// one kind node per cluster, the central Vault and a few spares.
    /// </summary>
    public static int ContainerHeadroom(int clusterCount) => clusterCount + 8;

    public static IReadOnlyList<ClusterAddressPools> Plan(NetworkLayout network, IReadOnlyList<string> clusterNames, int poolSize)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(clusterNames);
        ArgumentOutOfRangeException.ThrowIfLessThan(poolSize, 1);
        if (clusterNames.Count == 0)
        {
            throw new ArgumentException("At least one cluster name is needed to plan address pools.", nameof(clusterNames));
        }

        var (ipv4, ipv6) = PickSubnets(network);
        var ranges = new List<string>[clusterNames.Count];
        for (var i = 0; i < ranges.Length; i++)
        {
            ranges[i] = [];
        }

        foreach (var (subnet, gateway) in new[] { ipv4, ipv6 })
        {
            if (subnet is null)
            {
                continue;
            }

            var carved = CarveFamily(network, subnet, gateway, clusterNames.Count, poolSize);
            for (var i = 0; i < carved.Count; i++)
            {
                ranges[i].Add(carved[i]);
            }
        }

        return [.. clusterNames.Select((name, i) => new ClusterAddressPools(name, ranges[i]))];
    }

    /// <summary>
    /// The central Vault's fixed IPv4: the highest address below the lowest IPv4 pool that is neither
    /// reserved nor in use, and above the container headroom. Null without an IPv4 subnet or such an address.
    /// </summary>
    public static string? CentralVaultAddress(NetworkLayout network, IReadOnlyList<ClusterAddressPools> pools)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(pools);
        var (ipv4, _) = PickSubnets(network);
        if (ipv4.Subnet is not { } subnet)
        {
            return null;
        }

        var lowestPoolStart = pools
            .SelectMany(p => p.AddressPools)
            .Select(range => range.Split('-')[0])
            .Select(first => IpAddresses.TryParse(first, out var address) && address!.AddressFamily == AddressFamily.InterNetwork
                ? IpAddresses.ToNumber(address)
                : (UInt128?)null)
            .Where(n => n is not null)
            .DefaultIfEmpty(subnet.Last)
            .Min()!.Value;
        var excluded = ExcludedAddresses(network, subnet, ipv4.Gateway);
        var floor = subnet.Network + (UInt128)ContainerHeadroom(pools.Count) + 1;
        for (var candidate = lowestPoolStart - 1; candidate >= floor && candidate > subnet.Network; candidate--)
        {
            if (!excluded.Contains(candidate))
            {
                return IpAddresses.Format(candidate, subnet.Family);
            }
        }

        return null;
    }

    private static ((IpNetwork? Subnet, string? Gateway) V4, (IpNetwork? Subnet, string? Gateway) V6) PickSubnets(NetworkLayout network)
    {
        if (network.Subnets.Count == 0)
        {
            throw new SubnetPlanningException(
                $"Docker network '{network.Name}' has no IPAM subnet, so there is nothing to carve MetalLB pools from. " +
                $"Recreate it with a subnet (set {MultiDcSettings.NetworkSubnet.Name}, e.g. 172.30.0.0/16).");
        }

        (IpNetwork?, string?) v4 = (null, null);
        (IpNetwork?, string?) v6 = (null, null);
        foreach (var config in network.Subnets)
        {
            if (!IpNetwork.TryParse(config.Subnet, out var subnet, out var error))
            {
                throw new SubnetPlanningException($"Docker network '{network.Name}' reports an unusable subnet: {error}.");
            }

            if (subnet!.Family == AddressFamily.InterNetwork && v4.Item1 is null)
            {
                v4 = (subnet, config.Gateway);
            }
            else if (subnet.Family == AddressFamily.InterNetworkV6 && v6.Item1 is null)
            {
                v6 = (subnet, config.Gateway);
            }
        }

        if (v4.Item1 is null)
        {
            throw new SubnetPlanningException(
                $"The network '{network.Name}' ({string.Join(", ", network.Subnets.Select(s => s.Subnet))}) has no IPv4 subnet: {SettingChecks.Ipv6OnlyReason}; give an IPv4 subnet (an IPv6 one beside it adds IPv6 pools)");
        }

        return (v4, v6);
    }

    private static List<string> CarveFamily(NetworkLayout network, IpNetwork subnet, string? gatewayText, int clusterCount, int poolSize)
    {
        var excluded = ExcludedAddresses(network, subnet, gatewayText);
        var headroom = (UInt128)ContainerHeadroom(clusterCount);
        var size = (UInt128)poolSize;

        // floor: the lowest address a pool may use; everything below is network + headroom.
        var floor = subnet.Size > headroom + 1 ? subnet.Network + headroom + 1 : subnet.Last + 1;
        var pools = new List<string>(clusterCount);
        var cursor = subnet.Last;
        while (pools.Count < clusterCount)
        {
            if (floor > subnet.Last || cursor < floor || cursor - floor + 1 < size)
            {
                throw TooSmall(network, subnet, excluded, floor, clusterCount, poolSize, headroom);
            }

            var first = cursor - (size - 1);
            var blocking = excluded.GetViewBetween(first, cursor);
            if (blocking.Count > 0)
            {
                // Restart just below the highest blocked address: ranges never contain one.
                cursor = blocking.Max - 1;
                continue;
            }

            pools.Add($"{IpAddresses.Format(first, subnet.Family)}-{IpAddresses.Format(cursor, subnet.Family)}");
            cursor = first - 1;
        }

        return pools;
    }

    private static SortedSet<UInt128> ExcludedAddresses(NetworkLayout network, IpNetwork subnet, string? gatewayText)
    {
        var excluded = new SortedSet<UInt128> { subnet.Network, subnet.Last };
        if (string.IsNullOrWhiteSpace(gatewayText))
        {
            // Docker's default gateway is the first host address.
            if (subnet.Size > 2)
            {
                excluded.Add(subnet.Network + 1);
            }
        }
        else
        {
            if (!IpAddresses.TryParse(gatewayText, out var gateway))
            {
                throw new SubnetPlanningException(
                    $"Docker network '{network.Name}' reports gateway '{gatewayText}' for subnet {subnet}, which is not an IP address.");
            }

            var gatewayNumber = IpAddresses.ToNumber(gateway!);
            if (gateway!.AddressFamily != subnet.Family || !subnet.Contains(gatewayNumber))
            {
                throw new SubnetPlanningException(
                    $"Docker network '{network.Name}' reports gateway {gatewayText} outside its subnet {subnet}. " +
                    "Fix or recreate the network (docker network inspect shows its IPAM config).");
            }

            excluded.Add(gatewayNumber);
        }

        foreach (var used in network.UsedAddresses)
        {
            // Docker's network inspect lists container addresses as "172.18.0.2/16".
            var slash = used.IndexOf('/', StringComparison.Ordinal);
            var addressText = slash >= 0 ? used[..slash] : used;
            if (!IpAddresses.TryParse(addressText, out var address))
            {
                throw new SubnetPlanningException(
                    $"Docker network '{network.Name}' lists '{used}' as an address in use, which is not an IP address.");
            }

            var number = IpAddresses.ToNumber(address!);
            if (address!.AddressFamily == subnet.Family && subnet.Contains(number))
            {
                excluded.Add(number);
            }
        }

        return excluded;
    }

    private static SubnetPlanningException TooSmall(
        NetworkLayout network, IpNetwork subnet, SortedSet<UInt128> excluded, UInt128 floor, int clusterCount, int poolSize, UInt128 headroom)
    {
        var needed = (UInt128)clusterCount * (UInt128)poolSize;
        var free = floor > subnet.Last
            ? UInt128.Zero
            : subnet.Last - floor + 1 - (UInt128)excluded.GetViewBetween(floor, subnet.Last).Count;
        var fitting = free / (UInt128)clusterCount;
        var suggestion = fitting >= UInt128.One
            ? $"Use a smaller pool size (--pool-size / {MultiDcSettings.PoolSize.Name}, at most {Text(fitting)}) or a larger subnet"
            : "Use a larger subnet";
        return new SubnetPlanningException(
            $"Subnet {subnet} of Docker network '{network.Name}' is too small for {clusterCount} MetalLB pools of " +
            $"{poolSize} {subnet.FamilyName} addresses: needed {Text(needed)} free addresses, found {Text(free)} " +
            $"({Text(subnet.Size)} addresses in the subnet, minus {excluded.Count.ToString(CultureInfo.InvariantCulture)} " +
            $"reserved or in use (network, broadcast, gateway, containers) and the lowest {Text(headroom)} kept free " +
            "for containers still to be created). " +
            $"{suggestion} via {MultiDcSettings.NetworkSubnet.Name} (e.g. 172.30.0.0/16 on a network the harness creates).");
    }

    private static string Text(UInt128 value) => value.ToString(CultureInfo.InvariantCulture);
}
