using System.Globalization;
using System.Net.Sockets;
using System.Net;
using System.Numerics;
using FluentAssertions;
using MultiDcVault.Harness.Planning;
using Xunit;

namespace MultiDcVault.Harness.Tests.Planning;

/// <summary>
/// Invariants checked over many seeded random layouts, with arithmetic independent of the
/// planner's own (BigInteger here, UInt128 there).
/// </summary>
public sealed class SubnetPlannerPropertyTests
{
    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 40)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Pools_are_inside_the_subnet_disjoint_and_avoid_every_reserved_address(int seed)
    {
        var random = new Random(seed);
        var layout = RandomLayout(random, out var families);
        var clusterCount = new[] { 3, 5, 7 }[random.Next(3)];
        var names = Enumerable.Range(0, clusterCount).Select(i => $"c{i}").ToArray();
        var poolSize = random.Next(1, 17);

        var plan = SubnetPlanner.Plan(layout, names, poolSize);

        plan.Select(p => p.ClusterName).Should().Equal(names);
        plan.Should().OnlyContain(p => p.AddressPools.Count == families.Count);
        for (var f = 0; f < families.Count; f++)
        {
            var family = families[f];
            var ranges = plan.Select(p => ParseRange(p.AddressPools[f])).ToList();
            foreach (var (first, last, addressFamily) in ranges)
            {
                addressFamily.Should().Be(family.Family, "pools are listed IPv4 first, then IPv6");
                (last - first + 1).Should().Be(poolSize);
                first.Should().BeGreaterThan(family.Network);
                last.Should().BeLessThan(family.Broadcast);
                family.Reserved.Should().NotContain(a => a >= first && a <= last,
                    $"seed {seed}: {family.Subnet} range {Format(first, family.Family)}-{Format(last, family.Family)} must avoid the gateway and used addresses");
            }

            var ordered = ranges.OrderBy(r => r.First).ToList();
            for (var i = 1; i < ordered.Count; i++)
            {
                ordered[i].First.Should().BeGreaterThan(ordered[i - 1].Last, $"seed {seed}: pools must not overlap");
            }

            // Leader highest, then descending: the first cluster's pool is the top-most.
            ranges.Select(r => r.First).Should().BeInDescendingOrder();
        }
    }

    private sealed record FamilyFacts(string Subnet, AddressFamily Family, BigInteger Network, BigInteger Broadcast, List<BigInteger> Reserved);

    private static NetworkLayout RandomLayout(Random random, out List<FamilyFacts> families)
    {
        var v4Prefix = random.Next(16, 25);
        var v4Network = new BigInteger(10) << 24 | new BigInteger(random.Next(0, 256)) << 16;
        v4Network &= ~((BigInteger.One << (32 - v4Prefix)) - 1);
        var v4 = Facts(AddressFamily.InterNetwork, 32, v4Network, v4Prefix, random);

        var v6Prefix = random.Next(64, 121);
        var v6Network = BigInteger.Parse("0fc00f853ccde7930000000000000000", NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var v6 = Facts(AddressFamily.InterNetworkV6, 128, v6Network, v6Prefix, random);

        var configs = new List<(IpamSubnet Config, FamilyFacts Facts)>
        {
            (new IpamSubnet(v4.Subnet, Format(v4.Reserved[0], v4.Family)), v4),
            (new IpamSubnet(v6.Subnet, Format(v6.Reserved[0], v6.Family)), v6),
        };
        if (random.Next(2) == 0)
        {
            configs.Reverse();
        }

        var dualStack = random.Next(3) > 0;
        if (!dualStack)
        {
            configs.RemoveAll(c => c.Facts.Family == AddressFamily.InterNetworkV6);
        }

        families = [.. configs.Select(c => c.Facts).OrderBy(f => f.Family == AddressFamily.InterNetworkV6)];
        var used = configs
            .SelectMany(c => c.Facts.Reserved.Skip(1).Select(a => Format(a, c.Facts.Family)))
            .OrderBy(_ => random.Next())
            .ToList();
        return new NetworkLayout("multidc", [.. configs.Select(c => c.Config)], used);
    }

    private static FamilyFacts Facts(AddressFamily family, int bits, BigInteger network, int prefix, Random random)
    {
        var broadcast = network + (BigInteger.One << (bits - prefix)) - 1;
        var reserved = new List<BigInteger>
        {
            // Gateway: usually network+1, sometimes the top host address.
            random.Next(4) == 0 ? broadcast - 1 : network + 1,
        };

        // Used addresses: a few at the bottom (kind nodes) and a few in the top 64 (where pools go).
        for (var i = 0; i < random.Next(0, 5); i++)
        {
            reserved.Add(network + 2 + i);
        }

        for (var i = 0; i < random.Next(0, 6); i++)
        {
            reserved.Add(broadcast - 1 - random.Next(0, 64));
        }

        var subnet = $"{Format(network, family)}/{prefix.ToString(CultureInfo.InvariantCulture)}";
        return new FamilyFacts(subnet, family, network, broadcast, reserved);
    }

    private static (BigInteger First, BigInteger Last, AddressFamily Family) ParseRange(string range)
    {
        var parts = range.Split('-');
        parts.Should().HaveCount(2, $"'{range}' is a MetalLB first-last range");
        var first = IPAddress.Parse(parts[0]);
        var last = IPAddress.Parse(parts[1]);
        first.AddressFamily.Should().Be(last.AddressFamily);
        return (ToNumber(first), ToNumber(last), first.AddressFamily);
    }

    private static BigInteger ToNumber(IPAddress address) =>
        new(address.GetAddressBytes(), isUnsigned: true, isBigEndian: true);

    private static string Format(BigInteger value, AddressFamily family)
    {
        var length = family == AddressFamily.InterNetwork ? 4 : 16;
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        var padded = new byte[length];
        bytes.CopyTo(padded, length - bytes.Length);
        return new IPAddress(padded).ToString();
    }
}
