using System.Net.Sockets;
using System.Net;
using MultiDcVault.Harness.Configuration;

namespace MultiDcVault.Harness.Planning;

/// <summary>
/// Builds a <see cref="NetworkLayout"/> from text a person typed (<c>--subnet</c>, <c>--gateway</c>,
/// <c>--exclude</c>), so a plan can be made without asking Docker.
/// </summary>
internal static class NetworkLayoutParser
{
    /// <summary>An excluded CIDR is expanded into addresses; beyond this it is surely a mistake.</summary>
    public const int MaxExcludedAddresses = 65_536;

    /// <exception cref="OptionsValidationException">Every problem found, each naming its option.</exception>
    public static NetworkLayout Parse(
        string networkName,
        IReadOnlyList<string> subnets,
        IReadOnlyList<string> gateways,
        IReadOnlyList<string> excludes)
    {
        ArgumentNullException.ThrowIfNull(subnets);
        ArgumentNullException.ThrowIfNull(gateways);
        ArgumentNullException.ThrowIfNull(excludes);
        var problems = new List<string>();

        var networks = new List<IPNetwork>();
        foreach (var text in subnets)
        {
            if (IPNetwork.TryParse(text, out var network) && string.Equals(network.ToString(), text.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                networks.Add(network);
            }
            else if (IPNetwork.TryParse(text, out network))
            {
                problems.Add($"--subnet {text} is not valid: it has host bits set; did you mean {network}?");
            }
            else
            {
                problems.Add($"--subnet {text} is not valid: use a CIDR such as 172.18.0.0/16 or fc00:f853:ccd:e793::/64");
            }
        }

        if (networks.GroupBy(n => n.BaseAddress.AddressFamily).Any(g => g.Count() > 1))
        {
            problems.Add("--subnet is given twice for one address family: give at most one IPv4 and one IPv6 subnet");
        }

        var gatewayBySubnet = new Dictionary<IPNetwork, string>();
        foreach (var text in gateways)
        {
            if (!IPAddress.TryParse(text, out var gateway))
            {
                problems.Add($"--gateway {text} is not valid: use an IP address such as 172.18.0.1");
                continue;
            }

            var owner = networks.Where(n => n.Contains(gateway)).Select(n => (IPNetwork?)n).FirstOrDefault();
            if (owner is null)
            {
                problems.Add($"--gateway {text} is not inside any --subnet given ({string.Join(", ", subnets)})");
            }
            else if (!gatewayBySubnet.TryAdd(owner.Value, gateway.ToString()))
            {
                problems.Add($"--gateway {text}: subnet {owner} already has gateway {gatewayBySubnet[owner.Value]}");
            }
        }

        var used = new List<string>();
        foreach (var text in excludes)
        {
            if (IPAddress.TryParse(text, out var address) && !text.Contains('/', StringComparison.Ordinal))
            {
                if (networks.Count > 0 && !networks.Any(n => n.Contains(address)))
                {
                    problems.Add($"--exclude {text} is outside every --subnet ({string.Join(", ", subnets)}): it would exclude nothing");
                    continue;
                }

                used.Add(address.ToString());
            }
            else if (IPNetwork.TryParse(text, out var range))
            {
                var count = AddressCount(range);
                if (networks.Count > 0 && !networks.Any(n => n.Contains(range.BaseAddress)))
                {
                    problems.Add($"--exclude {text} is outside every --subnet ({string.Join(", ", subnets)}): it would exclude nothing");
                }
                else if (count > MaxExcludedAddresses)
                {
                    problems.Add($"--exclude {text} is not valid: it covers {count} addresses, at most {MaxExcludedAddresses} can be excluded");
                }
                else
                {
                    used.AddRange(Expand(range, (int)count));
                }
            }
            else
            {
                problems.Add($"--exclude {text} is not valid: use an IP address (172.18.0.5) or a CIDR (172.18.0.0/28)");
            }
        }

        if (problems.Count > 0)
        {
            throw new OptionsValidationException(problems);
        }

        var layoutSubnets = networks
            .Select(n => new IpamSubnet(n.ToString(), gatewayBySubnet.TryGetValue(n, out var gw) ? gw : null))
            .ToList();
        return new NetworkLayout(networkName, layoutSubnets, used);
    }

    private static System.Numerics.BigInteger AddressCount(IPNetwork network)
    {
        var bits = network.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        return System.Numerics.BigInteger.One << (bits - network.PrefixLength);
    }

    private static IEnumerable<string> Expand(IPNetwork network, int count)
    {
        var bytes = network.BaseAddress.GetAddressBytes();
        for (var i = 0; i < count; i++)
        {
            yield return new IPAddress(bytes).ToString();
            Increment(bytes);
        }
    }

    private static void Increment(byte[] bytes)
    {
        for (var i = bytes.Length - 1; i >= 0; i--)
        {
            if (++bytes[i] != 0)
            {
                return;
            }
        }
    }
}
