using System.Net.Sockets;
using System.Net;
using System.Text.Json;
using FluentAssertions;
using MultiDcVault.Harness.Infrastructure.Secrets;
using MultiDcVault.Harness.Infrastructure.Vault;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Infrastructure.Vault;

public sealed class VaultClientTests
{
    // Deliberately not shaped like hvs.* so only the client's own care keeps it out of messages.
    private const string Token = "plain-test-token-7f3a9c";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static VaultClient ClientFor(FakeVaultServer server, TimeSpan? timeout = null) =>
        new(new VaultClientOptions
        {
            Address = server.BaseAddress,
            Token = new SecretValue(Token),
            RequestTimeout = timeout ?? TimeSpan.FromSeconds(10),
        });

    [Theory]
    [InlineData(200, VaultSamples.HealthActive, VaultNodeState.Active)]
    [InlineData(429, VaultSamples.HealthStandby, VaultNodeState.Standby)]
    [InlineData(503, VaultSamples.HealthSealed, VaultNodeState.Sealed)]
    [InlineData(501, VaultSamples.HealthUninitialized, VaultNodeState.Uninitialized)]
    [InlineData(299, VaultSamples.HealthSealed, VaultNodeState.Sealed)]
    public async Task Health_is_parsed_whatever_status_code_the_node_chooses(int status, string body, VaultNodeState expected)
    {
        await using var server = FakeVaultServer.Start(_ => FakeResponse.Json(status, body));
        using var client = ClientFor(server);

        var health = await client.GetHealthAsync(Ct);

        health.State.Should().Be(expected);
        health.StatusCode.Should().Be((HttpStatusCode)status);
        health.Version.Should().Be("1.21.1");
        health.ServerTimeUtc.Should().BeGreaterThan(1_500_000_000);
    }

    [Fact]
    public async Task Health_asks_for_an_always_parseable_answer_and_parses_every_documented_field()
    {
        await using var server = FakeVaultServer.Start(_ => FakeResponse.Json(200, VaultSamples.HealthActive));
        using var client = ClientFor(server);

        var health = await client.GetHealthAsync(Ct);

        var request = server.Requests.Single();
        request.Method.Should().Be("GET");
        request.Path.Should().Be("/v1/sys/health");
        request.Query.Split('&').Should().BeEquivalentTo(
            "standbyok=true", "uninitcode=299", "sealedcode=299", "standbycode=299", "performancestandbycode=299",
            "drsecondarycode=299", "removedcode=299", "haunhealthycode=299");
        request.Header("X-Vault-Token").Should().BeNull("sys/health needs no token, so none is sent");
        health.Should().BeEquivalentTo(new
        {
            Initialized = true,
            Sealed = false,
            Standby = false,
            PerformanceStandby = false,
            ReplicationPerformanceMode = "disabled",
            ReplicationDrMode = "disabled",
            ServerTimeUtc = 1516639589L,
            ClusterName = "vault-cluster-3bd69ca2",
            ClusterId = "00af5aa8-c87d-b5fc-e82e-97cd8dfaf731",
            RemovedFromCluster = false,
            HaConnectionHealthy = true,
        });
    }

    [Fact]
    public async Task Token_is_sent_as_X_Vault_Token_on_authenticated_calls()
    {
        await using var server = FakeVaultServer.Start(_ => FakeResponse.Json(200, VaultSamples.RaftConfiguration));
        using var client = ClientFor(server);

        await client.GetRaftConfigurationAsync(Ct);

        server.Requests.Single().Header("X-Vault-Token").Should().Be(Token);
    }

    [Fact]
    public async Task Permission_denied_carries_status_path_and_errors_but_never_the_token()
    {
        await using var server = FakeVaultServer.Start(_ => FakeResponse.Json(403, VaultSamples.PermissionDenied));
        using var client = ClientFor(server);

        var act = () => client.GetAutopilotStateAsync(Ct);

        var error = (await act.Should().ThrowAsync<VaultApiException>()).Which;
        error.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        error.IsPermissionDenied.Should().BeTrue();
        error.Errors.Should().Equal("permission denied");
        error.RequestPath.Should().Be("/v1/sys/storage/raft/autopilot/state");
        error.Message.Should().Contain("permission denied").And.Contain("403").And.Contain(server.BaseAddress.ToString());
        error.ToString().Should().NotContain(Token);
        client.ToString().Should().NotContain(Token);
    }

    // hashicorp/vault vault/logical_system_raft.go (read at 00b51c2) handleRaftConfigurationGet answers data.config, a
    // physical/raft/raft.go (read at 00e4aa8) RaftConfigurationResponse {servers, index} of RaftServer {node_id, address,
    // leader, protocol_version, voter}. The observer counts voters and the leader from it.
    [Fact]
    public async Task Raft_configuration_lists_servers_with_id_address_leader_voter_and_protocol()
    {
        await using var server = FakeVaultServer.Start(_ => FakeResponse.Json(200, VaultSamples.RaftConfiguration));
        using var client = ClientFor(server);

        var config = await client.GetRaftConfigurationAsync(Ct);

        config.Servers.Should().HaveCount(3);
        config.Servers[0].Should().Be(new RaftServer
        {
            NodeId = "vault-primary",
            Address = "172.18.255.200:8201",
            Leader = true,
            Voter = true,
            ProtocolVersion = "3",
        });
        config.Servers.Count(s => s.Leader).Should().Be(1);
    }

    [Fact]
    public async Task Healthy_autopilot_state_is_parsed_with_durations()
    {
        await using var server = FakeVaultServer.Start(_ => FakeResponse.Json(200, VaultSamples.AutopilotHealthy));
        using var client = ClientFor(server);

        var state = await client.GetAutopilotStateAsync(Ct);

        state.Should().NotBeNull();
        state!.Healthy.Should().BeTrue();
        state.FailureTolerance.Should().Be(1);
        state.Leader.Should().Be("vault-primary");
        state.Voters.Should().Equal("vault-primary", "vault-secondary", "vault-tertiary");
        state.Servers.Should().HaveCount(3);
        var secondary = state.Servers["vault-secondary"];
        secondary.Status.Should().Be("voter");
        secondary.NodeStatus.Should().Be("alive");
        secondary.LastContact.Should().Be("678.62575ms");
        secondary.LastContactDuration.Should().Be(TimeSpan.FromTicks(6_786_258));
        secondary.StableSince.Should().Be(new DateTimeOffset(2025, 5, 1, 10, 0, 47, TimeSpan.FromHours(2)).AddTicks(6_409_760));
        state.Servers["vault-primary"].Status.Should().Be("leader");
    }

    [Fact]
    public async Task Degraded_autopilot_state_after_leader_loss_is_parsed()
    {
        await using var server = FakeVaultServer.Start(_ => FakeResponse.Json(200, VaultSamples.AutopilotAfterLeaderLoss));
        using var client = ClientFor(server);

        var state = await client.GetAutopilotStateAsync(Ct);

        state!.Healthy.Should().BeFalse();
        state.FailureTolerance.Should().Be(0);
        state.Leader.Should().Be("vault-secondary");
        state.Servers.Values.Where(s => !s.Healthy).Select(s => s.Name).Should().Equal("vault-primary");
        state.Servers["vault-primary"].LastContactDuration.Should().Be(TimeSpan.FromSeconds(14.2));
    }

    // hashicorp/vault vault/logical_system_raft.go (read at 00b51c2) handleStorageRaftAutopilotState: while autopilot has
    // no state yet it returns no response at all (an empty answer), so "not ready" is not an error for the observer.
    [Theory]
    [InlineData(204, null)]
    [InlineData(200, "")]
    [InlineData(200, """{"request_id":"x","lease_id":"","renewable":false,"lease_duration":0,"data":null,"wrap_info":null,"warnings":null,"auth":null}""")]
    public async Task Autopilot_that_is_still_starting_reads_as_not_ready(int status, string? body)
    {
        await using var server = FakeVaultServer.Start(_ => new FakeResponse(status, body));
        using var client = ClientFor(server);

        var state = await client.GetAutopilotStateAsync(Ct);

        state.Should().BeNull();
    }

    // hashicorp/vault api/sys_leader.go (read at 0f63861) LeaderResponse: ha_enabled, is_self, active_time,
    // leader_address, leader_cluster_address, performance_standby, raft_committed_index and raft_applied_index
    // (both omitempty). The observer picks the active node by is_self and the newest active_time.
    [Fact]
    public async Task Leader_and_seal_status_are_parsed()
    {
        await using var server = FakeVaultServer.Start(request => request.Path == "/v1/sys/leader"
            ? FakeResponse.Json(200, VaultSamples.LeaderActive)
            : FakeResponse.Json(200, VaultSamples.SealStatusTransit));
        using var client = ClientFor(server);

        var leader = await client.GetLeaderAsync(Ct);
        var seal = await client.GetSealStatusAsync(Ct);

        leader.IsSelf.Should().BeTrue();
        leader.HaEnabled.Should().BeTrue();
        leader.ActiveTime.Should().Be(new DateTimeOffset(2025, 5, 1, 10, 0, 0, TimeSpan.Zero).AddTicks(1_234_567));
        leader.LeaderAddress.Should().Be("https://172.18.255.200:8200");
        leader.LeaderClusterAddress.Should().Be("https://172.18.255.200:8201");
        leader.RaftCommittedIndex.Should().Be(164UL);
        seal.Type.Should().Be("transit");
        seal.RecoverySeal.Should().BeTrue();
        seal.StorageType.Should().Be("raft");
        seal.Sealed.Should().BeFalse();
    }

    [Fact]
    public async Task Kv_write_sends_data_and_cas_and_returns_the_new_version()
    {
        await using var server = FakeVaultServer.Start(_ => FakeResponse.Json(200, VaultSamples.KvWriteAnswer(4)));
        using var client = ClientFor(server);

        var written = await client.WriteKvAsync("secret", "jepsen/writer-1", new Dictionary<string, object?> { ["counter"] = 4 }, cas: 3, Ct);

        written.Version.Should().Be(4);
        var request = server.Requests.Single();
        request.Method.Should().Be("POST");
        request.Path.Should().Be("/v1/secret/data/jepsen/writer-1");
        request.Header("X-Vault-Token").Should().Be(Token);
        JsonElementFrom(request.Body).GetProperty("data").GetProperty("counter").GetInt32().Should().Be(4);
        JsonElementFrom(request.Body).GetProperty("options").GetProperty("cas").GetInt32().Should().Be(3);
    }

    [Fact]
    public async Task Kv_write_without_cas_sends_no_options()
    {
        await using var server = FakeVaultServer.Start(_ => FakeResponse.Json(200, VaultSamples.KvWriteAnswer(1)));
        using var client = ClientFor(server);

        await client.WriteKvAsync("secret", "a", new Dictionary<string, object?> { ["k"] = "v" }, cancellationToken: Ct);

        JsonElementFrom(server.Requests.Single().Body).TryGetProperty("options", out _).Should().BeFalse();
    }

    [Fact]
    public async Task Kv_cas_mismatch_is_recognisable()
    {
        await using var server = FakeVaultServer.Start(_ =>
            FakeResponse.Json(400, """{"errors":["check-and-set parameter did not match the current version"]}"""));
        using var client = ClientFor(server);

        var act = () => client.WriteKvAsync("secret", "a", new Dictionary<string, object?> { ["k"] = 1 }, cas: 0, Ct);

        (await act.Should().ThrowAsync<VaultApiException>()).Which.IsCheckAndSetMismatch.Should().BeTrue();
    }

    [Fact]
    public async Task Kv_patch_uses_PATCH_with_merge_patch_content_type()
    {
        await using var server = FakeVaultServer.Start(_ => FakeResponse.Json(200, VaultSamples.KvWriteAnswer(2)));
        using var client = ClientFor(server);

        var patched = await client.PatchKvAsync("secret", "a", new Dictionary<string, object?> { ["extra"] = "x" }, cas: 1, Ct);

        patched.Version.Should().Be(2);
        var request = server.Requests.Single();
        request.Method.Should().Be("PATCH");
        request.Header("Content-Type").Should().StartWith("application/merge-patch+json");
    }

    [Fact]
    public async Task Kv_read_returns_data_and_metadata_and_null_when_absent()
    {
        await using var server = FakeVaultServer.Start(request => request.Path == "/v1/secret/data/present"
            ? FakeResponse.Json(200, VaultSamples.KvReadAnswer("""{"counter":"7"}""", 7))
            : FakeResponse.Json(404, """{"errors":[]}"""));
        using var client = ClientFor(server);

        var present = await client.ReadKvAsync("secret", "present", Ct);
        var absent = await client.ReadKvAsync("secret", "absent", Ct);

        present!.GetString("counter").Should().Be("7");
        present.Metadata.Version.Should().Be(7);
        absent.Should().BeNull();
    }

    [Fact]
    public async Task Mount_policy_transit_key_step_down_use_the_documented_methods_and_paths()
    {
        await using var server = FakeVaultServer.Start(request => request.Path.EndsWith("/keys/autounseal", StringComparison.Ordinal)
            ? FakeResponse.Json(200, VaultSamples.TransitKeyAnswer)
            : FakeResponse.NoContent);
        using var client = ClientFor(server);

        await client.EnableMountAsync("transit", new MountRequest("transit"), Ct);
        await client.WritePolicyAsync("p1", "path \"x\" { capabilities = [\"read\"] }", Ct);
        await client.CreateTransitKeyAsync("transit", "autounseal", cancellationToken: Ct);
        await client.StepDownAsync(Ct);

        server.Requests.Select(r => $"{r.Method} {r.Path}").Should().Equal(
            "POST /v1/sys/mounts/transit",
            "PUT /v1/sys/policies/acl/p1",
            "POST /v1/transit/keys/autounseal",
            "PUT /v1/sys/step-down");
        server.Requests.Should().OnlyContain(r => r.Header("X-Vault-Token") == Token);
        JsonElementFrom(server.Requests.ElementAt(0).Body).GetProperty("type").GetString().Should().Be("transit");
        JsonElementFrom(server.Requests.ElementAt(1).Body).GetProperty("policy").GetString().Should().Contain("capabilities");
        JsonElementFrom(server.Requests.ElementAt(2).Body).GetProperty("type").GetString().Should().Be("aes256-gcm96");
    }

    [Fact]
    public async Task Orphan_periodic_token_is_returned_as_a_redacted_secret()
    {
        const string issued = "s.issuedTokenValueForTests12345";
        await using var server = FakeVaultServer.Start(_ => FakeResponse.Json(200, VaultSamples.OrphanTokenAnswer(issued)));
        using var client = ClientFor(server);

        var token = await client.CreateOrphanPeriodicTokenAsync(
            new OrphanTokenRequest { Policies = ["a", "b"], Period = TimeSpan.FromHours(768) }, Ct);

        token.Reveal().Should().Be(issued);
        token.ToString().Should().NotContain(issued);
        var request = server.Requests.Single();
        request.Path.Should().Be("/v1/auth/token/create-orphan");
        var body = JsonElementFrom(request.Body);
        body.GetProperty("policies").EnumerateArray().Select(e => e.GetString()).Should().Equal("a", "b");
        body.GetProperty("period").GetString().Should().Be("2764800s");
    }

    [Fact]
    public async Task Init_returns_keys_and_root_token_as_secrets()
    {
        var rootToken = TestTokens.Named("initRootTokenValue0123456789");
        await using var server = FakeVaultServer.Start(_ => FakeResponse.Json(200, $$"""
            {"keys":[],"keys_base64":[],"recovery_keys":["a1b2"],"recovery_keys_base64":["obI="],"root_token":"{{rootToken}}"}
            """));
        using var client = ClientFor(server);

        var init = await client.InitAsync(new VaultInitRequest { RecoveryShares = 1, RecoveryThreshold = 1 }, Ct);

        init.RootToken.Reveal().Should().Be(rootToken);
        init.RecoveryKeysBase64.Select(k => k.Reveal()).Should().Equal("obI=");
        var body = JsonElementFrom(server.Requests.Single().Body);
        body.GetProperty("recovery_shares").GetInt32().Should().Be(1);
        body.TryGetProperty("secret_shares", out _).Should().BeFalse();
    }

    [Fact]
    public async Task Request_timeout_is_honoured()
    {
        await using var server = FakeVaultServer.Start(async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return FakeResponse.NoContent;
        });
        using var client = ClientFor(server, TimeSpan.FromMilliseconds(300));

        var act = () => client.GetLeaderAsync(Ct);

        var error = (await act.Should().ThrowAsync<VaultTimeoutException>()).Which;
        error.RequestPath.Should().Be("/v1/sys/leader");
        error.Timeout.Should().Be(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task Caller_cancellation_is_not_reported_as_a_timeout()
    {
        await using var server = FakeVaultServer.Start(async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return FakeResponse.NoContent;
        });
        using var client = ClientFor(server, TimeSpan.FromMinutes(5));
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromMilliseconds(200));

        var act = () => client.GetLeaderAsync(cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task Connection_refused_is_reported_as_unreachable_with_the_address()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var client = new VaultClient(new VaultClientOptions { Address = new Uri($"http://127.0.0.1:{port}"), Token = new SecretValue(Token) });

        var act = () => client.GetRaftConfigurationAsync(Ct);

        var error = (await act.Should().ThrowAsync<VaultUnreachableException>()).Which;
        error.Message.Should().Contain($"127.0.0.1:{port}").And.NotContain(Token);
    }

    private static JsonElement JsonElementFrom(string body) => JsonDocument.Parse(body).RootElement.Clone();
}
