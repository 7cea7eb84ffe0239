using MultiDcVault.Harness.Configuration;
using k8s.Models;
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
    private static V1Secret LeaderTlsSecret(string caKey = "ca.crt") => new()
    {
        ApiVersion = "v1",
        Kind = "Secret",
        Metadata = new V1ObjectMeta { Name = "vault-primary-tls", NamespaceProperty = "default", Uid = "u-1", ResourceVersion = "42", Labels = new Dictionary<string, string> { ["vault_cr"] = "vault-primary" } },
        Type = "Opaque",
        Data = new Dictionary<string, byte[]>
        {
            [caKey] = Encoding.UTF8.GetBytes(CaPem),
            ["ca.key"] = Encoding.UTF8.GetBytes(CaKeyPem),
            ["server.crt"] = Encoding.UTF8.GetBytes(CaPem.Replace("leaderCA", "server", StringComparison.Ordinal)),
            ["server.key"] = Encoding.UTF8.GetBytes(ServerKeyPem),
        },
    };

    [Fact]
    public async Task Follower_receives_a_secret_with_the_leaders_ca_crt_and_no_key_material()
    {
        var kube = new ScriptedKubernetes(TimeProvider.System, new ScriptedProcessRunner());
        kube.When(c => c.Operation == ScriptedKubernetes.GetSecret && c.Target == Leader, "leader secret").Returns(_ => LeaderTlsSecret());
        kube.When(c => c.Operation == ScriptedKubernetes.Apply && c.Target == FollowerTarget, "follower apply").Returns(_ => null);
        var deployer = new VaultDeployer(kube, new ManifestRenderer(), new UpSettings(), TimeProvider.System);
        var plan = Plan();

        await deployer.CopyLeaderCaAsync(plan, Leader, FollowerTarget, TestContext.Current.CancellationToken);

        kube.Calls.Should().HaveCount(2);
        var read = kube.Calls[0];
        (read.Operation, read.Namespace, read.Name).Should().Be((ScriptedKubernetes.GetSecret, "default", "vault-primary-tls"));

        var apply = kube.Calls[1];
        apply.Target.Context.Should().Be("kind-secondary");
        var secret = (Dictionary<string, object?>)YamlObjects.ParseSingle(apply.Manifest!)!;
        secret.Map("metadata")["name"].Should().Be(plan.Leader.Identity.RaftCaSecretName);
        secret.Map("metadata").Should().NotContainKeys("uid", "resourceVersion", "ownerReferences");
        secret.Map("metadata").Map("labels").Should().NotContainKey("vault_cr", "the follower's operator must not take it for one of its own");
        var data = secret.Map("data");
        data.Keys.Should().Equal(VaultConventions.CaCertificateKey);
        Encoding.UTF8.GetString(Convert.FromBase64String((string)data["ca.crt"]!)).Should().Be(CaPem);

        // Nothing sent to the follower cluster (names or the applied manifest) carries a key, in PEM or base64.
        var sent = string.Join('\n', kube.Calls.Where(c => c.Target == FollowerTarget).Select(c => $"{c}\n{c.Manifest}"));
        foreach (var key in new[] { CaKeyPem, ServerKeyPem })
        {
            sent.Should().NotContain(key).And.NotContain(B64(key)).And.NotContain("PRIVATE KEY");
        }

        sent.Should().NotContain("ca.key").And.NotContain("server.key").And.NotContain("server.crt");
    }

    [Fact]
    public async Task A_leader_secret_without_ca_crt_fails_and_sends_nothing_to_the_follower()
    {
        var kube = new ScriptedKubernetes(TimeProvider.System, new ScriptedProcessRunner());
        kube.When(c => c.Operation == ScriptedKubernetes.GetSecret && c.Target == Leader, "leader secret").Returns(_ => LeaderTlsSecret(caKey: "ca.pem"));
        var deployer = new VaultDeployer(kube, new ManifestRenderer(), new UpSettings(), TimeProvider.System);

        var act = () => deployer.CopyLeaderCaAsync(Plan(), Leader, FollowerTarget, TestContext.Current.CancellationToken);

        (await act.Should().ThrowAsync<KeyNotFoundException>()).Which.Message.Should().Contain("ca.crt").And.NotContain("MHcCAQEE");
        kube.Calls.Should().OnlyContain(c => c.Target.Context == "kind-primary");
    }

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
