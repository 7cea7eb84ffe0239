using System.Text.Json;
using FluentAssertions;
using MultiDcVault.Harness.Components.Kms;
using MultiDcVault.Harness.Components.Vault;
using MultiDcVault.Harness.Infrastructure.Secrets;
using MultiDcVault.Harness.Infrastructure.Vault;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.UpstreamFacts;

/// <summary>
/// The KV v2 engine, hashicorp/vault-plugin-secrets-kv v0.26.2: path_data.go serves "data/&lt;path&gt;" (body
/// {"data": {...}, "options": {"cas": n}}; read answers data.data and data.metadata), path_metadata.go serves
/// "metadata/&lt;path&gt;".
/// </summary>
public sealed class KvV2Facts
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Writes_and_reads_go_through_the_data_segment_with_data_and_options_cas()
    {
        await using var server = FakeVaultServer.Start(r => r.Method == "GET"
            ? FakeResponse.Json(200, VaultSamples.KvReadAnswer("""{"n":"7"}""", 7))
            : FakeResponse.Json(200, """{"data":{"created_time":"2026-12-02T05:00:00Z","deletion_time":"","destroyed":false,"version":7}}"""));
        using var client = new VaultClient(new VaultClientOptions { Address = server.BaseAddress, Token = new SecretValue("facts-token") });

        await client.WriteKvAsync("secret", "multidc/writer-1", new Dictionary<string, object?> { ["n"] = "7" }, cas: 6, Ct);
        var read = await client.ReadKvAsync("secret", "multidc/writer-1", Ct);

        var requests = server.Requests.ToList();
        requests.Select(r => $"{r.Method} {r.Path}").Should().Equal("POST /v1/secret/data/multidc/writer-1", "GET /v1/secret/data/multidc/writer-1");
        var body = JsonDocument.Parse(requests[0].Body).RootElement;
        body.GetProperty("data").GetProperty("n").GetString().Should().Be("7");
        body.GetProperty("options").GetProperty("cas").GetInt32().Should().Be(6);
        read!.GetString("n").Should().Be("7");
        read.Metadata.Version.Should().Be(7);
    }

    // The unseal-keys policy names both segments: data/ for bank-vaults' reads and writes, metadata/ for listing.
    [Fact]
    public void The_unseal_keys_policy_names_the_data_and_metadata_segments_of_the_same_folder()
    {
        var location = UnsealKeysLocation.Parse("kv/data/run-42/keys");

        var policy = CentralVaultPolicies.UnsealKeys(location);

        policy.Should().Contain("path \"kv/data/run-42/keys/*\"").And.Contain("path \"kv/metadata/run-42/keys/*\"");
    }
}
