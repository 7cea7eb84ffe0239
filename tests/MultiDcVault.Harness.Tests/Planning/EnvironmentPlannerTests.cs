using FluentAssertions;
using MultiDcVault.Harness.Configuration;
using MultiDcVault.Harness.Planning;
using Xunit;

namespace MultiDcVault.Harness.Tests.Planning;

public sealed class EnvironmentPlannerTests
{
    private static readonly NetworkLayout KindLike = new(
        "multidc",
        [new IpamSubnet("fc00:f853:ccd:e793::/64", "fc00:f853:ccd:e793::1"), new IpamSubnet("172.18.0.0/16", "172.18.0.1")],
        ["172.18.0.2/16"]);

    [Fact]
    public void First_cluster_leads_the_rest_follow_in_order_with_their_pools()
    {
        var options = new MultiDcOptions { ClusterNames = ["east", "west", "north", "south", "central"] };

        var plan = EnvironmentPlanner.Create(options, KindLike);

        plan.Options.Should().BeSameAs(options);
        plan.Network.Should().BeSameAs(KindLike);
        plan.Clusters.Select(c => (c.Name, c.Role, c.Index)).Should().Equal(
            ("east", ClusterRole.Leader, 0),
            ("west", ClusterRole.Follower, 1),
            ("north", ClusterRole.Follower, 2),
            ("south", ClusterRole.Follower, 3),
            ("central", ClusterRole.Follower, 4));
        plan.Leader.Name.Should().Be("east");
        plan.Followers.Select(f => f.Name).Should().Equal("west", "north", "south", "central");
        plan.Leader.AddressPools.Should().Equal(
            "172.18.255.247-172.18.255.254",
            "fc00:f853:ccd:e793:ffff:ffff:ffff:fff7-fc00:f853:ccd:e793:ffff:ffff:ffff:fffe");
        plan.Leader.Identity.VaultName.Should().Be("vault-east");
        plan.Leader.Identity.KindContext.Should().Be("kind-east");
    }

    [Fact]
    public void Pool_size_from_the_options_is_used()
    {
        var plan = EnvironmentPlanner.Create(new MultiDcOptions { PoolSize = 2 }, KindLike);

        plan.Clusters.Select(c => c.AddressPools[0]).Should().Equal(
            "172.18.255.253-172.18.255.254",
            "172.18.255.251-172.18.255.252",
            "172.18.255.249-172.18.255.250");
    }

    [Fact]
    public void Invalid_options_are_refused_before_planning()
    {
        var act = () => EnvironmentPlanner.Create(new MultiDcOptions { ClusterNames = ["a", "b"], PoolSize = 0 }, KindLike);

        act.Should().Throw<OptionsValidationException>().Which.Problems.Should().HaveCount(2);
    }

    [Fact]
    public void A_layout_of_a_different_network_is_refused()
    {
        var act = () => EnvironmentPlanner.Create(new MultiDcOptions { NetworkName = "kind" }, KindLike);

        act.Should().Throw<ArgumentException>().WithMessage("*'multidc'*'kind'*");
    }

    [Fact]
    public void A_subnet_too_small_for_the_pools_surfaces_the_planning_error()
    {
        var tiny = new NetworkLayout("multidc", [new IpamSubnet("172.18.0.0/28", "172.18.0.1")], []);

        var act = () => EnvironmentPlanner.Create(new MultiDcOptions(), tiny);

        act.Should().Throw<SubnetPlanningException>().WithMessage("*172.18.0.0/28*");
    }
}
