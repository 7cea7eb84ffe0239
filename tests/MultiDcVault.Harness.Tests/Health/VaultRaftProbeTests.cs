using System.Net;
using FluentAssertions;
using MultiDcVault.Harness.Health;
using MultiDcVault.Harness.Infrastructure.Secrets;
using MultiDcVault.Harness.Planning;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Health;

/// <summary>The real IRaftProbe (status, up) over TLS: the observer over one Vault client per datacenter.</summary>
public sealed class VaultRaftProbeTests
{
    private const string Token = "probe-token-value";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Without_a_root_token_only_the_unauthenticated_endpoints_are_read_and_no_token_is_sent()
    {
        using var ca = TestPki.CreateCa("vault-primary-ca");
        using var certificate = TestPki.CreateServerCertificate(ca, IPAddress.Loopback);
        await using var vault = FakeVaultServer.Start(Answer, certificate);

        var observed = await new VaultRaftProbe(TimeProvider.System, TimeSpan.FromSeconds(5)).ObserveAsync([Endpoint(vault, ca)], null, [], Ct);

        vault.Requests.Select(r => r.Path).Should().BeEquivalentTo("/v1/sys/health", "/v1/sys/leader");
        vault.Requests.Should().OnlyContain(r => r.Header("X-Vault-Token") == null);
        observed.Datacenters.Single().Role.Should().Be(RaftNodeRole.Leader);
        observed.Datacenters.Single().Sealed.Should().BeFalse();
        observed.Health.Problems.Should().Contain("the root token is not available yet, so the Raft configuration and autopilot state were not read");
    }

    [Fact]
    public async Task With_the_root_token_autopilot_and_the_configuration_are_read_through_the_active_node_with_it()
    {
        using var ca = TestPki.CreateCa("vault-primary-ca");
        using var certificate = TestPki.CreateServerCertificate(ca, IPAddress.Loopback);
        await using var vault = FakeVaultServer.Start(Answer, certificate);

        var observed = await new VaultRaftProbe(TimeProvider.System, TimeSpan.FromSeconds(5)).ObserveAsync([Endpoint(vault, ca)], new SecretValue(Token), [], Ct);

        observed.ReadThrough.Should().Be("primary");
        observed.Autopilot!.Leader.Should().Be("vault-primary");
        observed.Configuration!.Servers.Should().HaveCount(3);
        vault.Requests.Where(r => r.Path.StartsWith("/v1/sys/storage/raft/", StringComparison.Ordinal)).Should().HaveCount(2)
            .And.OnlyContain(r => r.Header("X-Vault-Token") == Token);
        vault.Requests.Where(r => r.Path is "/v1/sys/health" or "/v1/sys/leader").Should().OnlyContain(r => r.Header("X-Vault-Token") == null);
    }

    private static FakeResponse Answer(RecordedRequest request) => request.Path switch
    {
        "/v1/sys/health" => FakeResponse.Json(200, VaultSamples.HealthActive),
        "/v1/sys/leader" => FakeResponse.Json(200, VaultSamples.LeaderActive),
        "/v1/sys/storage/raft/configuration" => FakeResponse.Json(200, VaultSamples.RaftConfiguration),
        "/v1/sys/storage/raft/autopilot/state" => FakeResponse.Json(200, VaultSamples.AutopilotHealthy),
        _ => FakeResponse.Json(404, """{"errors":[]}"""),
    };

    private static DatacenterEndpoint Endpoint(FakeVaultServer vault, System.Security.Cryptography.X509Certificates.X509Certificate2 ca) =>
        new("primary", ClusterRole.Leader, "/tmp/kubeconfig", "kind-primary", "127.0.0.1", vault.BaseAddress, TestPki.ToPem(ca), []);
}
