using System.Text.Json.Nodes;
using FluentAssertions;
using MultiDcVault.Harness.Diagnostics;
using MultiDcVault.Harness.Infrastructure.Secrets;
using Xunit;

namespace MultiDcVault.Harness.Tests.Diagnostics;

public sealed class VaultResourceSecretsTests
{
    [Fact]
    public void Both_central_Vault_token_fields_and_token_environment_values_are_masked_and_returned_while_paths_stay()
    {
        var resource = JsonNode.Parse(DiagnosticsScenario.VaultResourceJson("alpha"))!.AsObject();

        var (json, secrets) = VaultResourceSecrets.Mask(resource);

        var masked = JsonNode.Parse(json)!;
        masked["spec"]!["unsealConfig"]!["vault"]!["token"]!.GetValue<string>().Should().Be(Redactor.Mask);
        masked["spec"]!["config"]!["seal"]!["transit"]!["token"]!.GetValue<string>().Should().Be(Redactor.Mask);
        masked["spec"]!["vaultEnvsConfig"]![1]!["value"]!.GetValue<string>().Should().Be(Redactor.Mask, "EXTRA_TOKEN is a credential");
        masked["spec"]!["vaultEnvsConfig"]![0]!["value"]!.GetValue<string>().Should().Be("/vault/raft-tls/ca.crt");
        masked["spec"]!["unsealConfig"]!["vault"]!["unsealKeysPath"]!.GetValue<string>().Should().Be("secret/data/vault-unseal-keys");
        secrets.Select(s => s.Reveal()).Distinct().Should().Equal(DiagnosticsScenario.CentralToken);
        secrets.Should().HaveCount(3);

        // The input is left alone: callers may still need the real values.
        resource["spec"]!["unsealConfig"]!["vault"]!["token"]!.GetValue<string>().Should().Be(DiagnosticsScenario.CentralToken);
    }
}
