using System.Net.Sockets;
using System.Net;

namespace MultiDcVault.Harness.Faults;

/// <summary>
/// An address, CIDR or "a-b" range as iptables must match it: plain -s/-d for addresses and
/// CIDRs, the iprange match for ranges (MetalLB pools are usually written as ranges).
/// </summary>
internal sealed record AddressTarget(string Value, bool IsRange, AddressFamily Family)
{
    public bool IsIPv6 => Family == AddressFamily.InterNetworkV6;

    /// <summary>iptables match arguments for packets coming FROM this target.</summary>
    public IReadOnlyList<string> SourceMatch() =>
        IsRange ? ["-m", "iprange", "--src-range", Value] : ["-s", Value];

    /// <summary>iptables match arguments for packets going TO this target.</summary>
    public IReadOnlyList<string> DestinationMatch() =>
        IsRange ? ["-m", "iprange", "--dst-range", Value] : ["-d", Value];

    public static AddressTarget Parse(string text) =>
        TryParse(text, out var target, out var error)
            ? target
            : throw new FormatException($"'{text}' is not an address, CIDR or range: {error}");

    public static bool TryParse(string? text, out AddressTarget target, out string error)
    {
        target = null!;
        var value = text?.Trim() ?? string.Empty;
        if (value.Length == 0)
        {
            error = "it is empty";
            return false;
        }

        // IPv6 addresses never contain '-', so a dash always means "first-last".
        var dash = value.IndexOf('-', StringComparison.Ordinal);
        if (dash >= 0)
        {
            var first = value[..dash].Trim();
            var last = value[(dash + 1)..].Trim();
            if (!IPAddress.TryParse(first, out var from) || !IPAddress.TryParse(last, out var to))
            {
                error = "expected a range of two addresses 'first-last'";
                return false;
            }

            if (from.AddressFamily != to.AddressFamily)
            {
                error = "the two ends of the range are of different address families";
                return false;
            }

            target = new AddressTarget($"{first}-{last}", IsRange: true, from.AddressFamily);
            error = string.Empty;
            return true;
        }

        if (value.Contains('/', StringComparison.Ordinal))
        {
            if (!IPNetwork.TryParse(value, out var network))
            {
                error = "expected a CIDR such as 172.18.255.0/28 (with no host bits set)";
                return false;
            }

            target = new AddressTarget(value, IsRange: false, network.BaseAddress.AddressFamily);
            error = string.Empty;
            return true;
        }

        if (!IPAddress.TryParse(value, out var single))
        {
            error = "expected an IPv4 or IPv6 address";
            return false;
        }

        target = new AddressTarget(value, IsRange: false, single.AddressFamily);
        error = string.Empty;
        return true;
    }
}
