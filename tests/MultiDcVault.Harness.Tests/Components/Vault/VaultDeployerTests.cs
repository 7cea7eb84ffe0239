using MultiDcVault.Harness.Configuration;
using System.Text.Json;
using System.Text;
using FluentAssertions;
using MultiDcVault.Harness.Components.Vault;
using MultiDcVault.Harness.Infrastructure.Kubernetes;
using MultiDcVault.Harness.Planning.Manifests;
using MultiDcVault.Harness.Planning;
using MultiDcVault.Harness.Tests.Planning.Manifests;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;
using static MultiDcVault.Harness.Tests.Planning.Manifests.ManifestTestData;

namespace MultiDcVault.Harness.Tests.Components.Vault;

public sealed class VaultDeployerTests
{
    private const string CaPem = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIRAKleaderCA\n-----END CERTIFICATE-----\n";
    private const string CaKeyPem = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEILeaderCaKey\n-----END EC PRIVATE KEY-----\n";
    private const string ServerKeyPem = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEILeaderServerKey\n-----END EC PRIVATE KEY-----\n";

    private static readonly KubeTarget Leader = new("/work/multidc/kubeconfig-primary", "kind-primary");
    private static readonly KubeTarget FollowerTarget = new("/work/multidc/kubeconfig-secondary", "kind-secondary");

    // The operator's Secret as vault-operator v1.24.0 pkg/controller/vault/vault_controller.go populateTLSSecret
    // fills it: ca.crt, ca.key, server.crt, server.key.
    private static string LeaderTlsSecret() => JsonSerializer.Serialize(new
    {
        apiVersion = "v1",
        kind = "Secret",
        metadata = new { name = "vault-primary-tls", @namespace = "default", uid = "u-1", resourceVersion = "42", labels = new Dictionary<string, string> { ["vault_cr"] = "vault-primary" } },
        type = "Opaque",
        data = new Dictionary<string, string>
        {
            ["ca.crt"] = B64(CaPem),
            ["ca.key"] = B64(CaKeyPem),
            ["server.crt"] = B64(CaPem.Replace("leaderCA", "server", StringComparison.Ordinal)),
            ["server.key"] = B64(ServerKeyPem),
        },
    });

    [Fact]
    public async Task Follower_receives_a_secret_with_the_leaders_ca_crt_and_no_key_material()
    {
        var runner = new ScriptedProcessRunner();
        runner.On("kubectl", "--kubeconfig", Leader.KubeconfigPath, "--context", Leader.Context, "get").Returns(LeaderTlsSecret());
        runner.On("kubectl", "--kubeconfig", FollowerTarget.KubeconfigPath, "--context", FollowerTarget.Context, "apply").Returns("secret/vault-primary-raft-ca serverside-applied\n");
        var deployer = new VaultDeployer(new KubectlCli(runner), new ManifestRenderer(), new UpSettings(), TimeProvider.System);
        var plan = Plan();

        await deployer.CopyLeaderCaAsync(plan, Leader, FollowerTarget, TestContext.Current.CancellationToken);

        runner.Invocations.Should().HaveCount(2);
        var read = runner.Invocations[0];
        read.Arguments.Skip(4).Should().Equal("get", "--namespace", "default", "secret", "vault-primary-tls", "-o", "json");
        read.Spec.LogOutput.Should().BeFalse("the leader's Secret holds private keys");

        var apply = runner.Invocations[1];
        apply.ValueOf("--context").Should().Be("kind-secondary");
        var secret = (Dictionary<string, object?>)YamlObjects.ParseSingle(apply.Spec.StandardInput!)!;
        secret.Map("metadata")["name"].Should().Be(plan.Leader.Identity.RaftCaSecretName);
        secret.Map("metadata").Should().NotContainKeys("uid", "resourceVersion", "ownerReferences");
        secret.Map("metadata").Map("labels").Should().NotContainKey("vault_cr", "the follower's operator must not take it for one of its own");
        var data = secret.Map("data");
        data.Keys.Should().Equal(VaultConventions.CaCertificateKey);
        Encoding.UTF8.GetString(Convert.FromBase64String((string)data["ca.crt"]!)).Should().Be(CaPem);

        // Nothing sent to the follower cluster (arguments or stdin) carries a key, in PEM or base64.
        var sent = string.Join('\n', runner.Invocations.Where(i => i.ValueOf("--context") == "kind-secondary")
            .SelectMany(i => i.Arguments.Append(i.Spec.StandardInput ?? string.Empty)));
        foreach (var key in new[] { CaKeyPem, ServerKeyPem })
        {
            sent.Should().NotContain(key).And.NotContain(B64(key)).And.NotContain("PRIVATE KEY");
        }

        sent.Should().NotContain("ca.key").And.NotContain("server.key").And.NotContain("server.crt");
    }

    [Fact]
    public async Task A_leader_secret_without_ca_crt_fails_and_sends_nothing_to_the_follower()
    {
        var runner = new ScriptedProcessRunner();
        runner.On("kubectl", "--kubeconfig", Leader.KubeconfigPath, "--context", Leader.Context, "get").Returns(
            LeaderTlsSecret().Replace("\"ca.crt\"", "\"ca.pem\"", StringComparison.Ordinal));
        var deployer = new VaultDeployer(new KubectlCli(runner), new ManifestRenderer(), new UpSettings(), TimeProvider.System);

        var act = () => deployer.CopyLeaderCaAsync(Plan(), Leader, FollowerTarget, TestContext.Current.CancellationToken);

        (await act.Should().ThrowAsync<KeyNotFoundException>()).Which.Message.Should().Contain("ca.crt").And.NotContain("MHcCAQEE");
        runner.Invocations.Should().OnlyContain(i => i.ValueOf("--context") == "kind-primary");
    }

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
