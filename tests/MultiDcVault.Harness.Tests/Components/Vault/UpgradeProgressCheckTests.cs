using FluentAssertions;
using MultiDcVault.Harness.Components.Vault;
using MultiDcVault.Harness.Configuration;
using MultiDcVault.Harness.Infrastructure.Vault;
using Xunit;

namespace MultiDcVault.Harness.Tests.Components.Vault;

public sealed class UpgradeProgressCheckTests
{
    private static readonly string[] Datacenters = ["primary", "secondary", "tertiary"];

    [Fact]
    public void Every_server_on_the_new_version_is_upgraded()
    {
        var state = State(("primary", "leader", "2.1.2", true), ("secondary", "voter", "2.1.2", true), ("tertiary", "voter", "2.1.2", true));

        UpgradeProgressCheck.AllUpgraded(state, Datacenters, SupportedVaultVersions.VersionTextOf("hashicorp/vault:2.1.2")).Should().BeEmpty();
    }

    [Fact]
    public void A_server_on_the_old_version_without_one_or_missing_is_named()
    {
        var state = State(("primary", "leader", "2.0.4", true), ("secondary", "voter", "", true));

        UpgradeProgressCheck.AllUpgraded(state, Datacenters, "2.1.2").Should().Equal(
            "primary reports version 2.0.4, not 2.1.2",
            "secondary reports no version",
            "tertiary is missing from autopilot's servers");
    }

    [Fact]
    public void A_raft_server_that_is_no_datacenter_is_named()
    {
        var state = State(("primary", "leader", "2.1.2", true), ("secondary", "voter", "2.1.2", true), ("tertiary", "voter", "2.1.2", true), ("stale", "non-voter", "2.0.4", false));

        UpgradeProgressCheck.AllUpgraded(state, Datacenters, "2.1.2").Should().ContainSingle()
            .Which.Should().Be("stale is a Raft server that is not one of the datacenters (primary, secondary, tertiary)");
    }

    [Fact]
    public void Versions_are_compared_exactly_as_autopilot_sends_them()
    {
        // Autopilot reports version.GetVersion().Version: no "+ent" or "-rc1"; a suffix means another build.
        var state = State(("primary", "leader", "2.1.2+ent", true), ("secondary", "voter", "2.1.2", true), ("tertiary", "voter", "2.1.2", true));

        UpgradeProgressCheck.AllUpgraded(state, Datacenters, "2.1.2").Should().Equal("primary reports version 2.1.2+ent, not 2.1.2");
    }

    [Fact]
    public void An_empty_or_absent_autopilot_state_is_not_upgraded()
    {
        UpgradeProgressCheck.AllUpgraded(null, Datacenters, "2.1.2").Should().ContainSingle().Which.Should().Contain("no servers");
        UpgradeProgressCheck.AllUpgraded(new AutopilotState(), Datacenters, "2.1.2").Should().ContainSingle().Which.Should().Contain("no servers");
        var none = () => UpgradeProgressCheck.AllUpgraded(new AutopilotState(), [], "2.1.2");
        none.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void A_restarted_node_is_back_when_autopilot_is_healthy_and_it_votes_on_the_new_version()
    {
        var state = State(("primary", "leader", "2.0.4", true), ("secondary", "voter", "2.1.2", true), ("tertiary", "voter", "2.0.4", true));

        UpgradeProgressCheck.NodeRejoined(state, "secondary", "2.1.2").Should().BeEmpty();
    }

    [Fact]
    public void A_restarted_node_still_a_non_voter_on_an_unhealthy_cluster_is_not_back()
    {
        var state = State(("primary", "leader", "2.0.4", true), ("secondary", "non-voter", "2.1.2", false), ("tertiary", "voter", "2.0.4", true)) with
        {
            Healthy = false,
            Voters = ["primary", "tertiary"],
            NonVoters = ["secondary"],
        };

        UpgradeProgressCheck.NodeRejoined(state, "secondary", "2.1.2").Should().Equal(
            "autopilot is not healthy (failure tolerance 0; unhealthy: secondary)",
            "secondary is not a voter again (status non-voter; a restarted node waits out server_stabilization_time as a non-voter)",
            "secondary is not healthy by autopilot (last contact 0s, last index 10)");
    }

    [Fact]
    public void A_node_back_on_the_old_version_or_gone_is_not_back()
    {
        var state = State(("primary", "leader", "2.0.4", true), ("secondary", "voter", "2.0.4", true), ("tertiary", "voter", "2.0.4", true));

        UpgradeProgressCheck.NodeRejoined(state, "secondary", "2.1.2").Should().Equal("secondary reports version 2.0.4, not 2.1.2");
        UpgradeProgressCheck.NodeRejoined(state, "dc4", "2.1.2").Should().Equal("dc4 is not a Raft server (servers: primary, secondary, tertiary)");
        UpgradeProgressCheck.NodeRejoined(new AutopilotState(), "secondary", "2.1.2").Should().ContainSingle().Which.Should().Contain("no servers");
    }

    private static AutopilotState State(params (string Id, string Status, string Version, bool Healthy)[] servers) => new()
    {
        Healthy = servers.All(s => s.Healthy),
        FailureTolerance = servers.All(s => s.Healthy) ? 1 : 0,
        Leader = servers.Single(s => s.Status == "leader").Id,
        Voters = [.. servers.Where(s => s.Status is "leader" or "voter").Select(s => s.Id)],
        Servers = servers.ToDictionary(
            s => s.Id,
            s => new AutopilotServer { Id = s.Id, Name = s.Id, Status = s.Status, Version = s.Version, Healthy = s.Healthy, LastContact = "0s", LastIndex = 10 }),
    };
}
