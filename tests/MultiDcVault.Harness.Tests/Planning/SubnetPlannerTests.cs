using FluentAssertions;
using MultiDcVault.Harness.Planning;
using Xunit;

namespace MultiDcVault.Harness.Tests.Planning;

public sealed class SubnetPlannerTests
{
    private static readonly string[] Three = ["primary", "secondary", "tertiary"];

    private static NetworkLayout Layout(params IpamSubnet[] subnets) => new("multidc", subnets, []);

    private static IReadOnlyList<IReadOnlyList<string>> Pools(NetworkLayout network, IReadOnlyList<string> names, int poolSize) =>
        [.. SubnetPlanner.Plan(network, names, poolSize).Select(p => p.AddressPools)];

    [Fact]
    public void Kind_default_ipv4_16_gets_three_ranges_from_the_top_leader_highest()
    {
        var plan = SubnetPlanner.Plan(Layout(new IpamSubnet("172.18.0.0/16", "172.18.0.1")), Three, 8);

        plan.Select(p => p.ClusterName).Should().Equal(Three);
        plan.Select(p => p.AddressPools.Single()).Should().Equal(
            "172.18.255.247-172.18.255.254",
            "172.18.255.239-172.18.255.246",
            "172.18.255.231-172.18.255.238");
    }

    [Fact]
    public void The_central_vault_gets_the_highest_free_address_just_below_the_pools()
    {
        var network = new NetworkLayout("multidc", [new IpamSubnet("172.18.0.0/16", "172.18.0.1")], ["172.18.255.230/16"]);
        var pools = SubnetPlanner.Plan(network, Three, 8);

        SubnetPlanner.CentralVaultAddress(network, pools).Should().Be(
            "172.18.255.229", "172.18.255.230 is in use and everything from .231 up belongs to the pools");
    }

    [Fact]
    public void The_central_vault_address_is_null_without_room_above_the_headroom()
    {
        // /26: 64 addresses; the lowest 12 are network + headroom; three pools of 17 fill .12-.62 exactly.
        var tight = Layout(new IpamSubnet("10.0.0.0/26", "10.0.0.1"));
        SubnetPlanner.CentralVaultAddress(tight, SubnetPlanner.Plan(tight, Three, 17)).Should().BeNull();
    }

    [Fact]
    public void A_20_is_carved_from_its_own_top_not_the_16s()
    {
        Pools(Layout(new IpamSubnet("172.18.0.0/20", "172.18.0.1")), Three, 8)
            .Select(p => p.Single()).Should().Equal(
                "172.18.15.247-172.18.15.254",
                "172.18.15.239-172.18.15.246",
                "172.18.15.231-172.18.15.238");
    }

    [Fact]
    public void A_24_fits_three_pools_of_eight()
    {
        Pools(Layout(new IpamSubnet("192.168.50.0/24", "192.168.50.1")), Three, 8)
            .Select(p => p.Single()).Should().Equal(
                "192.168.50.247-192.168.50.254",
                "192.168.50.239-192.168.50.246",
                "192.168.50.231-192.168.50.238");
    }

    [Fact]
    public void A_28_is_too_small_and_the_error_says_what_to_change()
    {
        var act = () => SubnetPlanner.Plan(Layout(new IpamSubnet("172.18.0.0/28", "172.18.0.1")), Three, 8);

        var error = act.Should().Throw<SubnetPlanningException>().Which.Message;
        error.Should().Contain("172.18.0.0/28")
            .And.Contain("'multidc'")
            .And.Contain("needed 24 free addresses")
            .And.Contain("found 3")
            .And.Contain("--pool-size")
            .And.Contain("MULTIDC_POOL_SIZE")
            .And.Contain("MULTIDC_NETWORK_SUBNET");
    }

    [Fact]
    public void Dual_stack_gives_the_same_plan_whichever_family_docker_lists_first()
    {
        var v4 = new IpamSubnet("172.18.0.0/16", "172.18.0.1");
        var v6 = new IpamSubnet("fc00:f853:ccd:e793::/64", "fc00:f853:ccd:e793::1");

        var v4First = Pools(Layout(v4, v6), Three, 8);
        var v6First = Pools(Layout(v6, v4), Three, 8);

        v4First.Should().BeEquivalentTo(v6First, o => o.WithStrictOrdering());
        v4First[0].Should().Equal(
            "172.18.255.247-172.18.255.254",
            "fc00:f853:ccd:e793:ffff:ffff:ffff:fff7-fc00:f853:ccd:e793:ffff:ffff:ffff:fffe");
        v4First[2][1].Should().Be("fc00:f853:ccd:e793:ffff:ffff:ffff:ffe7-fc00:f853:ccd:e793:ffff:ffff:ffff:ffee");
    }

    [Fact]
    public void An_ipv6_only_network_is_refused_in_one_line_saying_why()
    {
        // Single-stack IPv6 cannot work end to end (kind's config has no ipFamily, Vault listens on 0.0.0.0,
        // partitions are iptables rules), so it is refused rather than planned into an environment that never forms.
        var plan = () => Pools(Layout(new IpamSubnet("fd00:10::/120", "fd00:10::1")), Three, 4);

        plan.Should().Throw<SubnetPlanningException>().Which.Message.Should()
            .Contain("fd00:10::/120").And.Contain("no IPv4 subnet").And.NotContain("\n");
    }

    [Fact]
    public void Addresses_in_use_inside_the_top_range_push_pools_below_them()
    {
        // Docker reports container addresses with their prefix length; both forms are accepted.
        var network = new NetworkLayout(
            "multidc",
            [new IpamSubnet("10.10.0.0/24", "10.10.0.1")],
            ["10.10.0.250/24", "10.10.0.240", "10.10.0.2/24"]);

        Pools(network, Three, 8).Select(p => p.Single()).Should().Equal(
            "10.10.0.242-10.10.0.249",
            "10.10.0.232-10.10.0.239",
            "10.10.0.224-10.10.0.231");
    }

    [Fact]
    public void Gateway_at_the_top_of_the_subnet_is_skipped()
    {
        Pools(Layout(new IpamSubnet("10.20.0.0/24", "10.20.0.254")), Three, 8)
            .Select(p => p.Single()).Should().Equal(
                "10.20.0.246-10.20.0.253",
                "10.20.0.238-10.20.0.245",
                "10.20.0.230-10.20.0.237");
    }

    [Fact]
    public void Five_clusters_get_five_adjacent_disjoint_ranges()
    {
        string[] five = ["primary", "secondary", "tertiary", "dc4", "dc5"];

        var plan = SubnetPlanner.Plan(Layout(new IpamSubnet("172.18.0.0/16", "172.18.0.1")), five, 8);

        plan.Select(p => p.ClusterName).Should().Equal(five);
        plan.Select(p => p.AddressPools.Single()).Should().Equal(
            "172.18.255.247-172.18.255.254",
            "172.18.255.239-172.18.255.246",
            "172.18.255.231-172.18.255.238",
            "172.18.255.223-172.18.255.230",
            "172.18.255.215-172.18.255.222");
    }

    [Fact]
    public void A_pool_of_one_address_is_still_a_range_metallb_accepts()
    {
        Pools(Layout(new IpamSubnet("172.18.0.0/16", "172.18.0.1")), Three, 1)
            .Select(p => p.Single()).Should().Equal(
                "172.18.255.254-172.18.255.254",
                "172.18.255.253-172.18.255.253",
                "172.18.255.252-172.18.255.252");
    }

    [Fact]
    public void The_plan_does_not_depend_on_the_order_docker_lists_subnets_and_containers_in()
    {
        // Docker does not fix the order of IPAM configs or of attached containers between inspects.
        var listed = new NetworkLayout(
            "multidc",
            [new IpamSubnet("fc00:1::/64", null), new IpamSubnet("172.19.0.0/16", "172.19.0.1")],
            ["172.19.255.250", "fc00:1::ffff:ffff:ffff:fffa"]);
        var reordered = new NetworkLayout(
            "multidc",
            [new IpamSubnet("172.19.0.0/16", "172.19.0.1"), new IpamSubnet("fc00:1::/64", null)],
            ["fc00:1::ffff:ffff:ffff:fffa", "172.19.255.250"]);

        var pools = Pools(listed, Three, 16);

        pools.Should().BeEquivalentTo(Pools(reordered, Three, 16), o => o.WithStrictOrdering());
        pools[0].Should().HaveCount(2, "one IPv4 and one IPv6 range per cluster");
        pools.SelectMany(p => p).Should().NotContain(r => r.Contains("172.19.255.250", StringComparison.Ordinal), "an address in use is never a pool boundary");
    }

    [Fact]
    public void The_first_subnet_of_each_family_is_used_when_docker_lists_several()
    {
        var pools = Pools(
            Layout(new IpamSubnet("172.18.0.0/24", "172.18.0.1"), new IpamSubnet("172.30.0.0/16", "172.30.0.1")),
            Three,
            8);

        pools[0].Should().Equal("172.18.0.247-172.18.0.254");
    }

    [Fact]
    public void Addresses_of_the_other_family_or_outside_the_subnet_do_not_block_anything()
    {
        var network = new NetworkLayout(
            "multidc",
            [new IpamSubnet("172.18.0.0/16", "172.18.0.1")],
            ["172.19.255.254", "fc00::ffff"]);

        Pools(network, Three, 8)[0].Should().Equal("172.18.255.247-172.18.255.254");
    }

    [Fact]
    public void The_bottom_of_the_subnet_stays_free_for_containers_created_later()
    {
        // A /26 has 61 usable host addresses: 3 pools of 18 (54) would fit only by reaching down
        // into the 11 addresses kept for the kind nodes and the central Vault.
        var act = () => SubnetPlanner.Plan(Layout(new IpamSubnet("10.0.0.0/26", "10.0.0.1")), Three, 18);

        act.Should().Throw<SubnetPlanningException>().WithMessage("*needed 54 free addresses, found 51*");
        SubnetPlanner.ContainerHeadroom(3).Should().Be(11);
    }

    [Theory]
    [InlineData("172.18.0.0", "not a CIDR block")]
    [InlineData("172.18.0.0/33", "prefix length must be 0..32")]
    [InlineData("172.18.0.5/16", "host bits set; the network is 172.18.0.0/16")]
    [InlineData("banana/16", "'banana' is not an IP address")]
    [InlineData("172.18/16", "'172.18' is not an IP address")]
    public void Invalid_subnet_text_is_reported_with_the_network_name(string subnet, string expected)
    {
        var act = () => SubnetPlanner.Plan(Layout(new IpamSubnet(subnet, null)), Three, 8);

        act.Should().Throw<SubnetPlanningException>()
            .Which.Message.Should().Contain("'multidc'").And.Contain(expected);
    }

    [Theory]
    [InlineData("172.19.0.1")]
    [InlineData("fc00::1")]
    public void Gateway_outside_the_subnet_is_rejected(string gateway)
    {
        var act = () => SubnetPlanner.Plan(Layout(new IpamSubnet("172.18.0.0/16", gateway)), Three, 8);

        act.Should().Throw<SubnetPlanningException>()
            .WithMessage($"*gateway {gateway} outside its subnet 172.18.0.0/16*");
    }

    [Fact]
    public void A_network_without_subnets_cannot_be_planned()
    {
        var act = () => SubnetPlanner.Plan(Layout(), Three, 8);

        act.Should().Throw<SubnetPlanningException>().WithMessage("*no IPAM subnet*MULTIDC_NETWORK_SUBNET*");
    }

    [Fact]
    public void An_unparseable_used_address_is_reported()
    {
        var network = new NetworkLayout("multidc", [new IpamSubnet("172.18.0.0/16", "172.18.0.1")], ["not-an-ip"]);

        var act = () => SubnetPlanner.Plan(network, Three, 8);

        act.Should().Throw<SubnetPlanningException>().WithMessage("*'not-an-ip'*");
    }
}
