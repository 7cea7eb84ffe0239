using System.Text.RegularExpressions;
using System.Text;
using FluentAssertions;
using MultiDcVault.Harness.Components.Kms;
using MultiDcVault.Harness.Components.Vault;
using MultiDcVault.Harness.Infrastructure.Secrets;
using MultiDcVault.Harness.Infrastructure.Vault;
using MultiDcVault.Harness.Planning.Manifests;
using MultiDcVault.Harness.Planning;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;
using static MultiDcVault.Harness.Tests.Planning.Manifests.ManifestTestData;

namespace MultiDcVault.Harness.Tests.UpstreamFacts;

/// <summary>
/// What the bank-vaults sidecar (bank-vaults/bank-vaults v1.33.1) reads and writes. Sources:
/// internal/vault/operator_client.go (key names, Init, RaftJoin) and pkg/kv/vault/vault.go (the KV v2 store).
/// </summary>
public sealed partial class BankVaultsFacts
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // internal/vault/operator_client.go RaftJoin: reads the file named by VAULT_RAFT_CACERT (else VAULT_CACERT, which
    // the operator points at the cluster's own CA) and sends its content as leader_ca_cert in POST sys/storage/raft/join;
    // the joining Vault uses that PEM, so no file is needed in the vault container.
    [Fact]
    public void The_sidecar_finds_the_leaders_ca_where_VAULT_RAFT_CACERT_points()
    {
        var plan = Plan();
        var spec = VaultCr(plan, Follower(plan), KnownValues()).Spec();

        var env = (Dictionary<string, object?>)spec.List("envsConfig").Single()!;
        env["name"].Should().Be("VAULT_RAFT_CACERT");
        var file = (string)env["value"]!;
        var mount = (Dictionary<string, object?>)spec.List("bankVaultsVolumeMounts").Single()!;
        var item = (Dictionary<string, object?>)((Dictionary<string, object?>)spec.List("volumes").Single()!).Map("secret").List("items").Single()!;
        file.Should().Be(VaultConventions.RaftCaCertFile);
        file.Should().Be(((string)mount["mountPath"]!).TrimEnd('/') + "/" + (string)item["path"]!);
        item["key"].Should().Be(VaultConventions.CaCertificateKey);
    }

    // pkg/kv/vault/vault.go Set/Get: logical path fmt.Sprintf("%s/%s", unsealKeysPath, key), body {"data": {key: []byte}}
    // (JSON encodes []byte as base64); Get decodes data["data"][key] from base64.
    // internal/vault/operator_client.go: keyRootToken = "vault-root".
    [Fact]
    public async Task The_root_token_is_read_at_the_path_and_field_bank_vaults_writes()
    {
        const string Root = "in-cluster-root-token-for-facts";
        var location = UnsealKeysLocation.Parse(RuntimeValues.DefaultUnsealKeysPath);
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(Root));
        await using var server = FakeVaultServer.Start(_ =>
            FakeResponse.Json(200, VaultSamples.KvReadAnswer($$"""{"{{CentralVault.RootTokenKey}}":"{{encoded}}"}""", 1)));
        using var client = new VaultClient(new VaultClientOptions { Address = server.BaseAddress, Token = new SecretValue("facts-token") });

        var secret = await client.ReadKvAsync(location.Mount, location.SecretPathOf(CentralVault.RootTokenKey), Ct);

        CentralVault.RootTokenKey.Should().Be("vault-root");
        server.Requests.Single().Path.Should().Be($"/v1/{RuntimeValues.DefaultUnsealKeysPath}/{CentralVault.RootTokenKey}");
        Encoding.UTF8.GetString(Convert.FromBase64String(secret!.GetString(CentralVault.RootTokenKey)!)).Should().Be(Root);
    }

    // unsealKeysPath is used verbatim as a logical path (pkg/kv/vault/vault.go), so on KV v2 it must carry the
    // "data" segment; the harness's default and the central Vault's default must be the same path.
    [Fact]
    public void Unseal_keys_path_is_a_kv_v2_data_path_and_both_defaults_agree()
    {
        RuntimeValues.DefaultUnsealKeysPath.Should().Be(Options().UnsealKeysPath);
        var location = UnsealKeysLocation.Parse(RuntimeValues.DefaultUnsealKeysPath);
        location.UnsealKeysPath.Should().Be(RuntimeValues.DefaultUnsealKeysPath);
        location.UnsealKeysPath.Split('/').Should().HaveElementAt(1, "data");

        var act = () => UnsealKeysLocation.Parse("secret/vault-unseal-keys");
        act.Should().Throw<ArgumentException>().WithMessage("*<mount>/data/<folder>*");
    }

    // internal/vault/operator_client.go Init: with PreFlightChecks (default true, vault_types.go ToArgs) it first
    // reads and (over)writes "vault-test"; keyStoreSet reads each key and writes it only when absent; keys are
    // "vault-root", keyUnsealForID "vault-unseal-<i>" and keyRecoveryForID "vault-recovery-<i>" (auto-unseal).
    [Theory]
    [InlineData("vault-root")]
    [InlineData("vault-recovery-0")]
    [InlineData("vault-recovery-4")]
    [InlineData("vault-unseal-0")]
    [InlineData("vault-test")]
    public void The_central_vault_policy_lets_bank_vaults_read_and_write_every_key_it_stores(string key)
    {
        var location = UnsealKeysLocation.Parse(RuntimeValues.DefaultUnsealKeysPath);

        var rules = PolicyRules(CentralVaultPolicies.UnsealKeys(location));

        var logicalPath = $"{location.UnsealKeysPath}/{key}";
        rules.Where(r => Matches(r.Path, logicalPath)).SelectMany(r => r.Capabilities)
            .Should().Contain(["create", "read", "update"], logicalPath);
    }

    private static CentralVaultOptions Options() => new() { Session = "facts", Network = "multidc", Image = "hashicorp/vault:2.0.1" };

    private static List<(string Path, string[] Capabilities)> PolicyRules(string hcl) =>
        [.. PolicyRule().Matches(hcl).Select(m => (m.Groups["path"].Value,
            m.Groups["caps"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(c => c.Trim('"')).ToArray()))];

    // Vault ACL paths: a trailing "*" is a prefix match, otherwise exact.
    private static bool Matches(string policyPath, string path) =>
        policyPath.EndsWith('*') ? path.StartsWith(policyPath[..^1], StringComparison.Ordinal) : path == policyPath;

    [GeneratedRegex("""path\s+"(?<path>[^"]+)"\s*\{\s*capabilities\s*=\s*\[(?<caps>[^\]]*)\]""")]
    private static partial Regex PolicyRule();
}
