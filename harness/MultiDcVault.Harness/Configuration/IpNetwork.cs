using System.Buffers.Binary;
using System.Globalization;
using System.Net.Sockets;
using System.Net;

namespace MultiDcVault.Harness.Configuration;

/// <summary>
/// A canonical CIDR block with its addresses as <see cref="UInt128"/> numbers, so IPv4 and
/// IPv6 share one arithmetic (IPv4 uses the low 32 bits).
/// </summary>
internal sealed record IpNetwork(AddressFamily Family, UInt128 Network, int PrefixLength)
{
    public int AddressBits => BitsOf(Family);

    public UInt128 Last => Network | HostMask(AddressBits - PrefixLength);

    /// <summary>Number of addresses in the block (saturates at UInt128.MaxValue for a /0 IPv6 block).</summary>
    public UInt128 Size => Last - Network == UInt128.MaxValue ? UInt128.MaxValue : Last - Network + 1;

    public string FamilyName => Family == AddressFamily.InterNetwork ? "IPv4" : "IPv6";

    public bool Contains(UInt128 address) => address >= Network && address <= Last;

    /// <summary>True when the two blocks share an address (same family only).</summary>
    public bool Overlaps(IpNetwork other) =>
        other is not null && other.Family == Family && other.Network <= Last && Network <= other.Last;

    public override string ToString() =>
        $"{IpAddresses.Format(Network, Family)}/{PrefixLength.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Parses "a.b.c.d/n" or "x::/n"; the error says what is wrong and, for host bits, what was meant.</summary>
    public static bool TryParse(string? text, out IpNetwork? network, out string error)
    {
        network = null;
        var trimmed = text?.Trim() ?? string.Empty;
        var slash = trimmed.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == trimmed.Length - 1)
        {
            error = $"'{text}' is not a CIDR block: expected address/prefix such as 172.18.0.0/16 or fc00:f853:ccd:e793::/64";
            return false;
        }

        if (!IpAddresses.TryParse(trimmed[..slash], out var address))
        {
            error = $"'{text}' is not a CIDR block: '{trimmed[..slash]}' is not an IP address";
            return false;
        }

        var bits = BitsOf(address!.AddressFamily);
        var prefixText = trimmed[(slash + 1)..];
        if (!prefixText.All(char.IsAsciiDigit)
            || !int.TryParse(prefixText, NumberStyles.None, CultureInfo.InvariantCulture, out var prefix)
            || prefix > bits)
        {
            error = $"'{text}' is not a CIDR block: the prefix length must be 0..{bits}";
            return false;
        }

        var value = IpAddresses.ToNumber(address);
        var hostMask = HostMask(bits - prefix);
        if ((value & hostMask) != UInt128.Zero)
        {
            var canonical = new IpNetwork(address.AddressFamily, value & ~hostMask, prefix);
            error = $"'{text}' has host bits set; the network is {canonical}";
            return false;
        }

        network = new IpNetwork(address.AddressFamily, value, prefix);
        error = string.Empty;
        return true;
    }

    private static int BitsOf(AddressFamily family) => family == AddressFamily.InterNetwork ? 32 : 128;

    private static UInt128 HostMask(int hostBits) =>
        hostBits >= 128 ? UInt128.MaxValue : (UInt128.One << hostBits) - UInt128.One;
}

/// <summary>Strict address parsing and the number/text conversions the planner needs.</summary>
internal static class IpAddresses
{
    /// <summary>
    /// Accepts dotted-quad IPv4 and plain IPv6 only: IPAddress.TryParse alone would also
    /// take "10" or "10.1" (classful shorthand) and scoped IPv6, which are never meant here.
    /// </summary>
    public static bool TryParse(string? text, out IPAddress? address)
    {
        address = null;
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed) || !IPAddress.TryParse(trimmed, out var parsed))
        {
            return false;
        }

        var valid = parsed.AddressFamily switch
        {
            AddressFamily.InterNetwork => trimmed.Split('.').Length == 4 && trimmed.All(c => c == '.' || char.IsAsciiDigit(c)),
            AddressFamily.InterNetworkV6 => parsed.ScopeId == 0 && !trimmed.Contains('%', StringComparison.Ordinal),
            _ => false,
        };
        address = valid ? parsed : null;
        return valid;
    }

    public static UInt128 ToNumber(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var written))
        {
            throw new ArgumentException($"Cannot read the bytes of address {address}.", nameof(address));
        }

        return written == 4
            ? BinaryPrimitives.ReadUInt32BigEndian(bytes)
            : new UInt128(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]));
    }

    public static IPAddress ToAddress(UInt128 value, AddressFamily family)
    {
        if (family == AddressFamily.InterNetwork)
        {
            var bytes4 = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(bytes4, (uint)value);
            return new IPAddress(bytes4);
        }

        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, (ulong)(value >> 64));
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(8), (ulong)value);
        return new IPAddress(bytes);
    }

    public static string Format(UInt128 value, AddressFamily family) => ToAddress(value, family).ToString();
}
