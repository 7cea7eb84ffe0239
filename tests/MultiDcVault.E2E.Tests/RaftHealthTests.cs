using System.Net;
using FluentAssertions;
using MultiDcVault.Fixtures;
using MultiDcVault.Harness.Configuration;
using MultiDcVault.Harness.Health;
using Xunit;

namespace MultiDcVault.E2E.Tests;

[Trait("Category", "E2E")]
public sealed class RaftHealthTests(MultiDcEnvironmentFixture fixture) : E2ETestBase(fixture)
{
    [Fact]
    public async Task Every_datacenter_is_an_unsealed_voter_of_one_raft_cluster_with_one_agreed_leader()
    {
        var reading = await StartAsync();
        var datacenters = Env.Datacenters;
        var n = datacenters.Count;

        var autopilot = reading.Autopilot;
        autopilot.Should().NotBeNull("autopilot answers once the cluster is formed");
        autopilot!.Healthy.Should().BeTrue(reading.ToString());
        autopilot.Voters.Should().HaveCount(n, reading.ToString());
        autopilot.FailureTolerance.Should().Be((n - 1) / 2);
        autopilot.Servers.Values.Should().OnlyContain(s => s.Healthy && (s.Status == "leader" || s.Status == "voter"));

        // Exactly one node is active and every node names it.
        reading.Observations.Should().OnlyContain(o => o.Leader != null, RaftObserver.Describe(reading.Observations));
        var active = reading.Observations.Where(o => o.Leader!.IsSelf).Select(o => o.Node).ToList();
        active.Should().ContainSingle(RaftObserver.Describe(reading.Observations));
        var leaderAddresses = reading.Observations.Select(o => o.Leader!.LeaderAddress).Distinct().ToList();
        leaderAddresses.Should().ContainSingle("every node agrees on the leader");
        Health.DatacenterOfAddress(leaderAddresses[0]).Should().Be(active[0]);

        // The Raft peers are the clusters' LoadBalancer IPs on 8201, one voter per datacenter, node_id = cluster name.
        var servers = reading.Configuration!.Servers;
        servers.Should().HaveCount(n).And.OnlyContain(s => s.Voter);
        servers.Where(s => s.Leader).Should().ContainSingle().Which.NodeId.Should().Be(autopilot.Leader);
        foreach (var dc in datacenters)
        {
            var raftAddress = new IPEndPoint(IPAddress.Parse(dc.LoadBalancerIp), 8201).ToString();
            servers.Should().ContainSingle(s => s.Address == raftAddress, $"{dc.Name}'s Raft address is its LB IP:8201 (peers: {string.Join(", ", servers.Select(s => $"{s.NodeId}={s.Address}"))})")
                .Which.NodeId.Should().Be(dc.Name);
        }

        var transit = Fixture.Options!.UnsealMode == UnsealMode.Transit;
        foreach (var dc in datacenters)
        {
            var seal = await Probe.GetSealStatusAsync(dc.Name, Ct);
            Output.WriteLine($"{dc.Name}: seal {seal.Type}, sealed {seal.Sealed}, recovery_seal {seal.RecoverySeal}, storage {seal.StorageType}, version {seal.Version}");
            seal.Initialized.Should().BeTrue(dc.Name);
            seal.Sealed.Should().BeFalse(dc.Name);
            seal.StorageType.Should().Be("raft", dc.Name);
            seal.Type.Should().Be(transit ? "transit" : "shamir", dc.Name);
            seal.RecoverySeal.Should().Be(transit, $"{dc.Name}: auto-unseal uses recovery keys, Shamir does not");
        }

        Fixture.Recorder.Autopilot(reading.ToAutopilotSnapshot($"{TestName}: healthy cluster"));
    }
}
