using FluentAssertions;
using MultiDcVault.Harness.Components.Kms;
using MultiDcVault.Harness.Components.MetalLb;
using MultiDcVault.Harness.Components.Vault;
using MultiDcVault.Harness.Diagnostics;
using MultiDcVault.Harness.Environment.State;
using MultiDcVault.Harness.Environment.Steps;
using MultiDcVault.Harness.Environment;
using MultiDcVault.Harness.Infrastructure.Kubernetes;
using MultiDcVault.Harness.Infrastructure.Processes;
using System.Net;
using MultiDcVault.Harness.Infrastructure.Secrets;
using MultiDcVault.Harness.Planning;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Environment;

public sealed class OrchestrationPartsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Critical_path_follows_what_each_phase_waited_for()
    {
        RecordedPhase P(string phase, string? cluster, double start, double end) => new(phase, cluster, start, end, end - start, "succeeded");
        var phases = new[]
        {
            P("kind create", "a", 0, 40),
            P("kind create", "b", 0, 45),
            P("central vault", null, 0, 5),
            P("operator", "a", 40, 60),
            P("operator", "b", 45, 62),
            P("leader vault", "a", 60, 90),
            P("follower vault", "b", 90, 120),
        };

        var path = TimingReport.CriticalPathOf(phases);

        path.Select(p => $"{p.Phase}/{p.Cluster}").Should().Equal("kind create/a", "operator/a", "leader vault/a", "follower vault/b");
    }

    [Fact]
    public void Certificate_sans_are_read_from_the_server_certificate()
    {
        var (ca, server) = TestCertificates.Issue("172.30.255.240");

        CertificateSans.Contains(server, "172.30.255.240").Should().BeTrue();
        CertificateSans.Contains(server, "127.0.0.1").Should().BeTrue();
        CertificateSans.Contains(server, "172.30.255.232").Should().BeFalse();
        CertificateSans.IpAddresses(ca).Should().BeEmpty();
        CertificateSans.IpAddresses("not a certificate").Should().BeEmpty();
    }

    // The Status messages the API server answers an apply with while MetalLB's webhook is not serving, and a final refusal.
    [Theory]
    [InlineData(500, "Internal error occurred: failed calling webhook \"ipaddresspoolvalidationwebhook.metallb.io\"", true)]
    [InlineData(500, "Post \"https://metallb-webhook-service.metallb-system.svc:443/validate\": dial tcp 10.96.12.4:443: connect: connection refused", true)]
    [InlineData(500, "failed calling webhook: service \"metallb-webhook-service\" not found: no endpoints available for service", true)]
    [InlineData(422, "IPAddressPool.metallb.io \"pool\" is invalid: .spec.adresses: field not declared in schema", false)]
    public void Only_webhook_startup_errors_are_retried(int status, string message, bool retried) =>
        MetalLbInstaller.IsWebhookNotReady(new KubernetesApiException("apply IPAddressPool metallb-system/pool", (HttpStatusCode)status, message)).Should().Be(retried);

    [Fact]
    public async Task State_holds_no_token_and_secrets_round_trip_through_an_owner_only_file()
    {
        var directory = Directory.CreateTempSubdirectory("multidc-state-").FullName;
        try
        {
            var store = new EnvironmentStateStore(directory);
            (await store.ReadAsync(Ct)).Should().BeNull();
            (await store.ReadSecretsAsync(Ct)).Should().BeNull();

            var state = new EnvironmentState
            {
                Session = "s1",
                NetworkName = "multidc",
                NetworkCreatedByHarness = true,
                Network = new NetworkLayout("multidc", [new IpamSubnet("172.30.0.0/16", "172.30.0.1")], []),
                Clusters = [new ClusterState("primary", ClusterRole.Leader, "/w/kube/primary.kubeconfig", "kind-primary", ["172.30.255.248-172.30.255.255"]) { LoadBalancerIp = "172.30.255.248" }],
                Status = EnvironmentState.StatusUp,
            };
            await store.WriteAsync(state, Ct);
            await store.WriteSecretsAsync(new CentralVaultState("c", new SecretValue(TestTokens.Named("rootTOKENforSTATEtest0000000001")), new SecretValue(TestTokens.Named("transitTOKENforSTATEtest00000002")), new SecretValue("dW5zZWFsS2V5Rm9yU3RhdGVUZXN0MDAwMDAwMDM=")), Ct);

            var read = await store.ReadAsync(Ct);
            read!.Clusters.Single().LoadBalancerIp.Should().Be("172.30.255.248");
            read.Clusters.Single().Role.Should().Be(ClusterRole.Leader);
            read.Network!.Subnets.Single().Gateway.Should().Be("172.30.0.1");
            File.ReadAllText(store.StatePath).Should().NotContain("hvs.");
            var secrets = await store.ReadSecretsAsync(Ct);
            secrets!.RootToken.Reveal().Should().Be(TestTokens.Named("rootTOKENforSTATEtest0000000001"));
            secrets.TransitToken.Reveal().Should().Be(TestTokens.Named("transitTOKENforSTATEtest00000002"));
            secrets.UnsealKey.Reveal().Should().Be("dW5zZWFsS2V5Rm9yU3RhdGVUZXN0MDAwMDAwMDM=", "a restarted central Vault is unsealed with it");
            if (!OperatingSystem.IsWindows())
            {
                File.GetUnixFileMode(store.SecretsPath).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            store.Delete();
            File.Exists(store.StatePath).Should().BeFalse();
            File.Exists(store.SecretsPath).Should().BeFalse();
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Minimal_diagnostics_bundle_has_the_redacted_reason_and_the_timing_report()
    {
        var directory = Directory.CreateTempSubdirectory("multidc-diag-").FullName;
        try
        {
            var token = new SecretValue(TestTokens.Named("DIAGNOSTICSsecretTOKEN0000000009"));
            Redactor.Default.Register(token);
            var timings = Path.Combine(directory, TimingReport.FileName);
            await File.WriteAllTextAsync(timings, "{}", Ct);
            var writer = new MinimalDiagnosticsWriter(TimeProvider.System);

            var bundle = await writer.WriteAsync(
                new DiagnosticsRequest($"helm failed with token {token.Reveal()}", directory, "s1", [], "multidc-s1-central-vault", null, timings), Ct);

            var reason = await File.ReadAllTextAsync(Path.Combine(bundle, "reason.txt"), Ct);
            reason.Should().Contain("helm failed").And.Contain("multidc-s1-central-vault").And.NotContain(token.Reveal());
            File.Exists(Path.Combine(bundle, TimingReport.FileName)).Should().BeTrue();
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Gateways_default_to_the_first_host_address_when_docker_names_none()
    {
        var layout = new NetworkLayout("n", [new IpamSubnet("172.30.0.0/16", null), new IpamSubnet("fd00:1::/64", "fd00:1::1")], []);

        EnvironmentHandleBuilder.Gateways(layout).Should().Equal("172.30.0.1", "fd00:1::1");
    }

    [Fact]
    public void Host_access_brackets_ipv6_load_balancer_addresses() =>
        VaultHostAccess.DirectAddress("fd00::10").Should().Be(new Uri("https://[fd00::10]:8200"));
}
