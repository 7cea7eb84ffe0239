using System.Text.Json;
using FluentAssertions;
using MultiDcVault.Harness.Components.Kms;
using MultiDcVault.Harness.Configuration;
using MultiDcVault.Harness.Infrastructure.Secrets;
using MultiDcVault.Harness.Infrastructure.Vault;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;
using static MultiDcVault.Harness.Tests.Planning.Manifests.ManifestTestData;

namespace MultiDcVault.Harness.Tests.UpstreamFacts;

/// <summary>
/// seal "transit" as hashicorp/go-kms-wrapping wrappers/transit/v2.0.13 implements it (options.go reads the stanza's
/// keys; transit_client.go newTransitClient renews the token unless disable_renewal, and encrypts/decrypts at
/// &lt;mount_path&gt;/encrypt|decrypt/&lt;key_name&gt;), with the token's renew-self right from the "default" policy
/// of hashicorp/vault vault/policy_store.go (defaultPolicy: path "auth/token/renew-self" capabilities ["update"]).
/// </summary>
public sealed class TransitSealFacts
{
    // options.go getOpts: mount_path, key_name, disable_renewal, namespace, address, tls_* are the keys it knows.
    // transit_client.go: renewal (RenewTokenAsSelf + LifetimeWatcher) runs unless disable_renewal parses true.
    [Fact]
    public void The_seal_stanza_uses_only_keys_the_wrapper_reads_and_leaves_renewal_on()
    {
        var plan = Plan(UnsealMode.Transit);

        foreach (var cluster in plan.Clusters)
        {
            var transit = VaultCr(plan, cluster, KnownValues()).Config().Map("seal").Map("transit");

            transit.Keys.Should().BeEquivalentTo("address", "token", "key_name", "mount_path");
            transit.Should().NotContainKey("disable_renewal", "a periodic token that is never renewed expires after one period");
        }
    }

    // transit_client.go Encrypt/Decrypt: path.Join(mountPath, "encrypt"|"decrypt", keyName), both "update".
    [Fact]
    public void The_auto_unseal_policy_grants_exactly_the_wrapper_paths()
    {
        var policy = CentralVaultPolicies.AutoUnseal("transit", "autounseal");

        policy.Should().Contain("path \"transit/encrypt/autounseal\"").And.Contain("path \"transit/decrypt/autounseal\"");
        policy.Should().NotContain("renew-self", "renew-self comes from the default policy the token keeps");
    }

    // The token the seal renews: renewable, periodic, and not stripped of the default policy (which holds renew-self).
    [Fact]
    public async Task The_transit_token_request_keeps_the_default_policy_and_is_renewable_and_periodic()
    {
        await using var server = FakeVaultServer.Start(_ => FakeResponse.Json(200, VaultSamples.OrphanTokenAnswer("s.factsIssuedToken0123456789")));
        using var client = new VaultClient(new VaultClientOptions { Address = server.BaseAddress, Token = new SecretValue("facts-root") });

        await client.CreateOrphanPeriodicTokenAsync(
            new OrphanTokenRequest { Policies = [CentralVaultPolicies.AutoUnsealPolicyName], Period = new CentralVaultOptions { Session = "facts", Network = "multidc", Image = "hashicorp/vault:2.0.1" }.TokenPeriod },
            TestContext.Current.CancellationToken);

        var body = JsonDocument.Parse(server.Requests.Single().Body).RootElement;
        body.GetProperty("no_default_policy").GetBoolean().Should().BeFalse();
        body.GetProperty("renewable").GetBoolean().Should().BeTrue();
        body.GetProperty("period").GetString().Should().Be("2764800s", "768 h");
    }
}
