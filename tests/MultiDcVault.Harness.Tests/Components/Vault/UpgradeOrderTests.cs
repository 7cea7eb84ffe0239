using FluentAssertions;
using MultiDcVault.Harness.Components.Vault;
using MultiDcVault.Harness.Infrastructure.Vault;
using Xunit;

namespace MultiDcVault.Harness.Tests.Components.Vault;

public sealed class UpgradeOrderTests
{
    private static readonly string[] Plan = ["primary", "secondary", "tertiary"];

    [Theory]
    [InlineData("primary", "secondary,tertiary,primary")]
    [InlineData("secondary", "primary,tertiary,secondary")]
    [InlineData("tertiary", "primary,secondary,tertiary")]
    public void Followers_in_plan_order_then_the_leader(string leader, string order)
    {
        UpgradeOrder.Remaining(Plan, leader).Should().Equal(order.Split(','));
    }

    [Fact]
    public void Five_datacenters_keep_plan_order_around_the_leader()
    {
        UpgradeOrder.Remaining(["primary", "secondary", "tertiary", "dc4", "dc5"], "dc4")
            .Should().Equal("primary", "secondary", "tertiary", "dc5", "dc4");
    }

    [Fact]
    public void Asked_again_it_leaves_out_what_is_upgraded_and_follows_a_moved_leader()
    {
        UpgradeOrder.Remaining(Plan, "primary", ["secondary"]).Should().Equal("tertiary", "primary");

        // Leadership moved to the upgraded secondary: primary is a follower now and goes before nothing else.
        UpgradeOrder.Remaining(Plan, "secondary", ["secondary"]).Should().Equal("primary", "tertiary");
        UpgradeOrder.Remaining(Plan, "primary", Plan).Should().BeEmpty();
    }

    [Fact]
    public void The_leader_comes_from_autopilot_when_its_servers_are_the_datacenters()
    {
        UpgradeOrder.Remaining(Plan, State("secondary", Plan)).Should().Equal("primary", "tertiary", "secondary");
    }

    [Theory]
    [InlineData(new string[0], "primary", "no datacenters")]
    [InlineData(new[] { "primary", "secondary", "primary" }, "primary", "'primary' is listed twice")]
    [InlineData(new[] { "primary", "secondary", "tertiary" }, "", "no Raft leader")]
    [InlineData(new[] { "primary", "secondary", "tertiary" }, "dc4", "leader 'dc4' is not one of the datacenters")]
    public void A_plan_without_a_known_leader_or_with_duplicates_is_refused(string[] plan, string leader, string why)
    {
        var act = () => UpgradeOrder.Remaining(plan, leader);

        act.Should().Throw<ArgumentException>().WithMessage($"*{why}*");
    }

    [Fact]
    public void An_upgraded_name_that_is_no_datacenter_is_refused()
    {
        var act = () => UpgradeOrder.Remaining(Plan, "primary", ["vault-secondary"]);

        act.Should().Throw<ArgumentException>().WithMessage("*'vault-secondary' is not one of the datacenters*");
    }

    [Fact]
    public void Autopilot_missing_a_datacenter_or_knowing_a_stranger_is_refused()
    {
        var missing = () => UpgradeOrder.Remaining(Plan, State("primary", ["primary", "secondary"]));
        var stranger = () => UpgradeOrder.Remaining(Plan, State("primary", ["primary", "secondary", "tertiary", "old-node"]));
        var starting = () => UpgradeOrder.Remaining(Plan, new AutopilotState());
        var leaderless = () => UpgradeOrder.Remaining(Plan, State(null, Plan));

        missing.Should().Throw<ArgumentException>().WithMessage("Autopilot's servers (primary, secondary) are not the datacenters (primary, secondary, tertiary)*");
        stranger.Should().Throw<ArgumentException>().WithMessage("*old-node*");
        starting.Should().Throw<ArgumentException>().WithMessage("Autopilot's servers (none)*");
        leaderless.Should().Throw<ArgumentException>().WithMessage("*no Raft leader*");
    }

    private static AutopilotState State(string? leader, IEnumerable<string> servers) => new()
    {
        Healthy = true,
        Leader = leader,
        Servers = servers.ToDictionary(s => s, s => new AutopilotServer { Id = s, Status = s == leader ? "leader" : "voter" }),
    };
}
