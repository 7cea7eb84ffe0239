using FluentAssertions;
using MultiDcVault.Harness.Health;
using MultiDcVault.Harness.Infrastructure.Secrets;
using MultiDcVault.Harness.Infrastructure.Vault;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.UpstreamFacts;

/// <summary>
/// GET /v1/sys/storage/raft/autopilot/state as hashicorp/vault api/sys_raft.go (read at 01c88db) decodes it: AutopilotState
/// (healthy, failure_tolerance, servers, leader, voters, non_voters, redundancy_zones, upgrade_info,
/// optimistic_failure_tolerance) and AutopilotServer (id, name, address, node_status, last_contact, last_term,
/// last_index, healthy, stable_since, status, version, upgrade_version, redundancy_zone, node_type), under "data".
/// </summary>
public sealed class VaultRaftApiFacts
{
    // A body with every field api/sys_raft.go names, during a join: one node is still a non-voter.
    private const string JoiningState = """
        {"request_id":"1c2d","lease_id":"","renewable":false,"lease_duration":0,
         "data":{"healthy":false,"failure_tolerance":0,"leader":"primary","voters":["primary","secondary"],"non_voters":["tertiary"],
                 "optimistic_failure_tolerance":1,"redundancy_zones":{},
                 "upgrade_info":{"status":"idle","target_version":"2.0.1","target_version_voters":["primary","secondary"]},
                 "servers":{
                   "primary":{"id":"primary","name":"primary","address":"172.18.255.200:8201","node_status":"alive","last_contact":"0s",
                              "last_term":3,"last_index":120,"healthy":true,"stable_since":"2026-12-02T05:00:00.123456789Z","status":"leader",
                              "version":"2.0.1","upgrade_version":"2.0.1","redundancy_zone":"","node_type":"voter"},
                   "secondary":{"id":"secondary","name":"secondary","address":"172.18.255.208:8201","node_status":"alive","last_contact":"612.5ms",
                              "last_term":3,"last_index":120,"healthy":true,"stable_since":"2026-12-02T05:00:20Z","status":"voter",
                              "version":"2.0.1","node_type":"voter"},
                   "tertiary":{"id":"tertiary","name":"tertiary","address":"172.18.255.216:8201","node_status":"alive","last_contact":"1.2s",
                              "last_term":3,"last_index":118,"healthy":false,"stable_since":"2026-12-02T05:00:40Z","status":"non-voter",
                              "version":"2.0.1","node_type":"voter"}}},
         "wrap_info":null,"warnings":null,"auth":null}
        """;

    [Fact]
    public async Task Autopilot_state_with_every_upstream_field_parses_and_keeps_the_non_voter_apart()
    {
        await using var server = FakeVaultServer.Start(_ => FakeResponse.Json(200, JoiningState));
        using var client = new VaultClient(new VaultClientOptions { Address = server.BaseAddress, Token = new SecretValue("facts-token") });

        var state = await client.GetAutopilotStateAsync(TestContext.Current.CancellationToken);

        server.Requests.Single().Path.Should().Be("/v1/sys/storage/raft/autopilot/state");
        state!.Healthy.Should().BeFalse();
        state.FailureTolerance.Should().Be(0);
        state.Leader.Should().Be("primary");
        state.Voters.Should().Equal("primary", "secondary");
        state.NonVoters.Should().Equal("tertiary");
        state.Servers.Keys.Should().BeEquivalentTo("primary", "secondary", "tertiary");
        state.Servers["primary"].Should().BeEquivalentTo(new
        {
            Id = "primary", Name = "primary", Address = "172.18.255.200:8201", NodeStatus = "alive", LastTerm = 3UL, LastIndex = 120UL,
            Healthy = true, Status = "leader", Version = "2.0.1", NodeType = "voter",
        });
        state.Servers["primary"].StableSince.Should().NotBeNull();
        state.Servers["secondary"].LastContactDuration.Should().Be(TimeSpan.FromMilliseconds(612.5));
        state.Servers["tertiary"].Status.Should().Be("non-voter");
    }

    // hashicorp/vault api/sys_leader.go (read at 0f63861): active_time is a Go time.Time, so a standby (never active)
    // sends the zero time 0001-01-01T00:00:00Z; raft_committed_index and raft_applied_index are omitempty and may be
    // absent. A standby must parse, must not count as a claimant, and its leader_address names the active node.
    [Fact]
    public async Task A_standbys_sys_leader_has_the_zero_active_time_and_may_omit_the_raft_indexes()
    {
        const string standby = """
            {"ha_enabled":true,"is_self":false,"active_time":"0001-01-01T00:00:00Z",
             "leader_address":"https://172.18.255.208:8200","leader_cluster_address":"https://172.18.255.208:8201",
             "performance_standby":false,"performance_standby_last_remote_wal":0,"last_wal":0}
            """;
        await using var server = FakeVaultServer.Start(_ => FakeResponse.Json(200, standby));
        using var client = new VaultClient(new VaultClientOptions { Address = server.BaseAddress });

        var leader = await client.GetLeaderAsync(TestContext.Current.CancellationToken);

        server.Requests.Single().Path.Should().Be("/v1/sys/leader");
        leader.IsSelf.Should().BeFalse();
        leader.ActiveTime.Should().Be(DateTimeOffset.MinValue);
        leader.RaftCommittedIndex.Should().Be(0UL);
        leader.LeaderAddress.Should().Be("https://172.18.255.208:8200");
        RaftHealthEvaluator.PickActive([new NodeLeaderObservation("tertiary", leader)]).Should().BeNull();
    }

    // hashicorp/vault physical/raft/raft.go (read at 00e4aa8): RaftServer.voter is false while a server is staging
    // ("might be false if the server is staging and still coming online"), and the configuration carries its Raft index.
    // The evaluator counts only voters, so a joining node keeps the cluster "not healthy yet".
    [Fact]
    public async Task A_staging_server_is_not_a_voter_and_the_configuration_index_is_read()
    {
        const string joining = """
            {"request_id":"3c","lease_id":"","renewable":false,"lease_duration":0,
             "data":{"config":{"index":57,"servers":[
               {"node_id":"primary","address":"172.18.255.200:8201","leader":true,"protocol_version":"3","voter":true},
               {"node_id":"secondary","address":"172.18.255.208:8201","leader":false,"protocol_version":"3","voter":true},
               {"node_id":"tertiary","address":"172.18.255.216:8201","leader":false,"protocol_version":"3","voter":false}]}},
             "wrap_info":null,"warnings":null,"auth":null}
            """;
        await using var server = FakeVaultServer.Start(_ => FakeResponse.Json(200, joining));
        using var client = new VaultClient(new VaultClientOptions { Address = server.BaseAddress, Token = new SecretValue("facts-token") });

        var configuration = await client.GetRaftConfigurationAsync(TestContext.Current.CancellationToken);

        server.Requests.Single().Path.Should().Be("/v1/sys/storage/raft/configuration");
        configuration.Index.Should().Be(57UL);
        configuration.Servers.Where(s => !s.Voter).Select(s => s.NodeId).Should().Equal("tertiary");
        var verdict = RaftHealthEvaluator.Evaluate(null, configuration, [], expectedVoters: 3);
        verdict.VoterCount.Should().Be(2);
        verdict.LeaderId.Should().Be("primary");
        verdict.Problems.Should().Contain("2 voter(s), expected 3 (new nodes stay non-voters for server_stabilization_time)");
    }
}
