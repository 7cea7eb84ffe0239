using System.Net;
using FluentAssertions;
using MultiDcVault.Harness.Infrastructure.Vault;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.UpstreamFacts;

/// <summary>
/// GET /v1/sys/health as hashicorp/vault http/sys_health.go (Vault 1.19+ line, with removedcode and haunhealthycode)
/// implements it: getSysHealth reads standbyok, perfstandbyok and one *code query parameter per state.
/// </summary>
public sealed class VaultSysHealthFacts
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // sys_health.go getSysHealth: uninitcode (default 501), sealedcode (503), standbycode (429), activecode (200),
    // drsecondarycode (472), performancestandbycode (473), haunhealthycode (474), removedcode (530); standbyok=true
    // turns a standby's answer into the active code. Every non-active state must be mapped to a 2xx to get a body.
    [Fact]
    public void The_always_parseable_query_overrides_every_non_active_code_sys_health_reads()
    {
        var query = VaultClient.AlwaysParseableHealthQuery.Split('&').Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);

        query.Should().Contain("standbyok", "true");
        foreach (var parameter in new[] { "uninitcode", "sealedcode", "standbycode", "drsecondarycode", "performancestandbycode", "haunhealthycode", "removedcode" })
        {
            query.Should().ContainKey(parameter);
            int.Parse(query[parameter], System.Globalization.CultureInfo.InvariantCulture).Should().BeInRange(200, 299, parameter);
        }
    }

    // sys_health.go: a server that ignores or predates some *code parameter answers with its default code, still with
    // a HealthResponse body (initialized, sealed, standby, performance_standby, removed_from_cluster, ha_connection_healthy, ...).
    [Theory]
    [InlineData(429, """{"initialized":true,"sealed":false,"standby":true,"performance_standby":false}""", VaultNodeState.Standby)]
    [InlineData(472, """{"initialized":true,"sealed":false,"standby":false,"replication_dr_mode":"secondary"}""", VaultNodeState.Active)]
    [InlineData(473, """{"initialized":true,"sealed":false,"standby":true,"performance_standby":true}""", VaultNodeState.PerformanceStandby)]
    [InlineData(474, """{"initialized":true,"sealed":false,"standby":true,"ha_connection_healthy":false}""", VaultNodeState.Standby)]
    [InlineData(501, """{"initialized":false,"sealed":true,"standby":true}""", VaultNodeState.Uninitialized)]
    [InlineData(503, """{"initialized":true,"sealed":true,"standby":true}""", VaultNodeState.Sealed)]
    [InlineData(530, """{"initialized":true,"sealed":false,"standby":true,"removed_from_cluster":true}""", VaultNodeState.Removed)]
    public async Task Every_default_status_code_still_yields_a_parsed_body(int status, string body, VaultNodeState expected)
    {
        await using var server = FakeVaultServer.Start(_ => FakeResponse.Json(status, body));
        using var client = new VaultClient(new VaultClientOptions { Address = server.BaseAddress });

        var health = await client.GetHealthAsync(Ct);

        health.StatusCode.Should().Be((HttpStatusCode)status);
        health.State.Should().Be(expected);
    }
}
