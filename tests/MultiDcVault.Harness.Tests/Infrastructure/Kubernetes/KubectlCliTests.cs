using System.Text.Json.Nodes;
using FluentAssertions;
using MultiDcVault.Harness.Infrastructure.Kubernetes;
using MultiDcVault.Harness.Infrastructure.Processes;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Infrastructure.Kubernetes;

public sealed class KubectlCliTests
{
    private static readonly KubeTarget Primary = new("/work/multidc/kubeconfig-primary", "kind-primary");
    private static readonly KubeTarget Secondary = new("/work/multidc/kubeconfig-secondary", "kind-secondary");

    private readonly ScriptedProcessRunner _runner = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private KubectlCli Kubectl => new(_runner, options: new KubectlOptions { PollInterval = TimeSpan.FromMilliseconds(1) });

    private static ProcessResult Ok(string stdout) => new(0, stdout, string.Empty, TimeSpan.Zero);

    private static ProcessResult NotFound(string what) => new(1, string.Empty, $"Error from server (NotFound): {what} not found\n", TimeSpan.Zero);

    [Fact]
    public async Task Apply_file_applies_a_cached_manifest_server_side()
    {
        _runner.On("kubectl").Returns("customresourcedefinition.apiextensions.k8s.io/ipaddresspools.metallb.io serverside-applied\n");
        const string Path = "/home/u/.cache/multidc/tools/manifests/metallb-native-v0.16.1/metallb-native.yaml";

        await Kubectl.ApplyFileAsync(Primary, Path, Ct);

        var call = _runner.Invocations.Should().ContainSingle().Subject;
        call.Arguments.Should().Equal(
            "--kubeconfig", Primary.KubeconfigPath, "--context", "kind-primary",
            "apply", "--server-side", "--field-manager=multidc", "--force-conflicts", "-f", Path);
        call.Spec.StandardInput.Should().BeNull();
    }

    [Fact]
    public async Task Apply_is_server_side_strict_and_reads_the_manifest_from_stdin()
    {
        _runner.On("kubectl").Returns("ipaddresspool.metallb.io/pool serverside-applied\n");
        const string Manifest = "apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\n";

        await Kubectl.ApplyAsync(Primary, Manifest, Ct);

        var call = _runner.Invocations.Should().ContainSingle().Subject;
        call.Arguments.Should().Equal(
            "--kubeconfig", Primary.KubeconfigPath, "--context", "kind-primary",
            "apply", "--server-side", "--field-manager=multidc", "--force-conflicts", "--validate=strict", "-f", "-");
        call.Spec.StandardInput.Should().Be(Manifest);
    }

    [Fact]
    public async Task Every_cluster_call_names_its_kubeconfig_and_context_first()
    {
        _runner.Fallback = spec => spec.Arguments.Contains("json")
            ? Ok(spec.Arguments.Contains("pods") ? KubectlSamples.PodList(("speaker-x", true)) : spec.Arguments.Contains("secret") ? KubectlSamples.TlsSecret : KubectlSamples.ServiceWithIp)
            : Ok(string.Empty);
        var kubectl = Kubectl;

        await kubectl.ApplyAsync(Primary, "kind: List", Ct);
        await kubectl.WaitForDeploymentAvailableAsync(Primary, "metallb-system", "controller", TimeSpan.FromMinutes(3), Ct);
        await kubectl.WaitForPodsReadyAsync(Primary, "metallb-system", "app=metallb", TimeSpan.FromMinutes(3), Ct);
        await kubectl.WaitForLoadBalancerIpAsync(Primary, "default", "vault-primary", TimeSpan.FromMinutes(3), Ct);
        await kubectl.GetJsonAsync<KubeService>(Primary, "default", "service", "vault-primary", Ct);
        await kubectl.TryGetJsonAsync<KubePod>(Primary, "default", ["pod", "vault-primary-0"], Ct);
        await kubectl.DeleteAsync(Primary, "default", "pod/vault-primary-0", Ct);
        await kubectl.LogsAsync(Primary, "default", "vault-primary-0", "vault", 200, Ct);
        await kubectl.GetSecretAsync(Primary, "default", "vault-primary-tls", Ct);
        await kubectl.DescribeAsync(Primary, "default", "vault/vault-primary", Ct);
        await kubectl.GetAllAsync(Primary, Ct);
        await kubectl.GetEventsAsync(Primary, Ct);

        _runner.Invocations.Should().HaveCountGreaterThanOrEqualTo(12).And.OnlyContain(i =>
            i.Arguments.Take(4).SequenceEqual(new[] { "--kubeconfig", Primary.KubeconfigPath, "--context", "kind-primary" }));
    }

    [Fact]
    public async Task Wait_commands_have_exact_arguments()
    {
        _runner.On("kubectl").Returns();

        await Kubectl.WaitForDeploymentAvailableAsync(Primary, "metallb-system", "controller", TimeSpan.FromMinutes(3), Ct);
        await Kubectl.DeleteAsync(Primary, "default", "pod/vault-primary-0", Ct, wait: false);
        await Kubectl.LogsAsync(Primary, "default", "vault-primary-0", "bank-vaults", 100, Ct, previous: true);

        _runner.Invocations.Select(i => i.Arguments.Skip(4)).Should().BeEquivalentTo(
            new[]
            {
                new[] { "wait", "--namespace", "metallb-system", "--for=condition=Available", "deployment/controller", "--timeout=180s" },
                new[] { "delete", "--namespace", "default", "pod/vault-primary-0", "--ignore-not-found", "--wait=false" },
                new[] { "logs", "--namespace", "default", "vault-primary-0", "--container", "bank-vaults", "--tail=100", "--previous" },
            },
            o => o.WithStrictOrdering());
    }

    [Fact]
    public async Task Load_balancer_wait_polls_through_missing_and_pending_until_an_ip_appears()
    {
        _runner.On("kubectl").ReturnsInOrder(
            NotFound("services \"vault-primary\""),
            Ok(KubectlSamples.PendingService),
            Ok(KubectlSamples.PendingService),
            Ok(KubectlSamples.ServiceWithIp));

        var ip = await Kubectl.WaitForLoadBalancerIpAsync(Primary, "default", "vault-primary", TimeSpan.FromMinutes(1), Ct);

        ip.Should().Be("172.18.255.200");
        _runner.Invocations.Should().HaveCount(4).And.OnlyContain(i =>
            i.Arguments.Skip(4).SequenceEqual(new[] { "get", "--namespace", "default", "service", "vault-primary", "-o", "json" }));
    }

    [Fact]
    public async Task Load_balancer_wait_times_out_with_a_hint_about_metallb()
    {
        _runner.On("kubectl").Returns(KubectlSamples.PendingService);

        var act = () => Kubectl.WaitForLoadBalancerIpAsync(Primary, "default", "vault-primary", TimeSpan.FromMilliseconds(50), Ct);

        (await act.Should().ThrowAsync<TimeoutException>()).Which.Message
            .Should().Contain("default/vault-primary").And.Contain("kind-primary").And.Contain("IPAddressPool").And.Contain("type LoadBalancer");
    }

    [Fact]
    public async Task A_broken_cluster_is_not_mistaken_for_a_missing_resource()
    {
        _runner.On("kubectl").Fails(1, "The connection to the server 127.0.0.1:41234 was refused - did you specify the right host or port?");

        var act = () => Kubectl.TryGetJsonAsync<KubeService>(Primary, "default", ["service", "vault-primary"], Ct);

        (await act.Should().ThrowAsync<ProcessFailedException>()).Which.StandardErrorTail.Should().Contain("connection to the server");
    }

    [Fact]
    public async Task Pods_wait_continues_until_pods_exist_and_all_are_ready()
    {
        _runner.On("kubectl").ReturnsInOrder(
            Ok(KubectlSamples.PodList()),
            Ok(KubectlSamples.PodList(("speaker-a", true), ("speaker-b", false))),
            Ok(KubectlSamples.PodList(("speaker-a", true), ("speaker-b", true))));

        var pods = await Kubectl.WaitForPodsReadyAsync(Primary, "metallb-system", "app=metallb", TimeSpan.FromMinutes(1), Ct);

        pods.Select(p => p.Metadata.Name).Should().Equal("speaker-a", "speaker-b");
        _runner.Invocations.Should().HaveCount(3);
        _runner.Invocations[0].Arguments.Skip(4).Should().Equal("get", "--namespace", "metallb-system", "pods", "--selector", "app=metallb", "-o", "json");
    }

    [Fact]
    public async Task Pods_wait_timeout_lists_what_was_seen()
    {
        _runner.On("kubectl").Returns(KubectlSamples.PodList(("controller-7d8f", false)));

        var act = () => Kubectl.WaitForPodsReadyAsync(Primary, "metallb-system", "app=metallb", TimeSpan.FromMilliseconds(30), Ct);

        (await act.Should().ThrowAsync<TimeoutException>()).Which.Message.Should().Contain("controller-7d8f (Running, ready=False)");
    }

    [Fact]
    public async Task Secret_is_typed_decoded_and_never_printed()
    {
        _runner.On("kubectl").Returns(KubectlSamples.TlsSecret);

        var secret = await Kubectl.GetSecretAsync(Primary, "default", "vault-primary-tls", Ct);

        secret.GetString("ca.crt").Should().StartWith("-----BEGIN CERTIFICATE-----");
        secret.ToString().Should().Contain("ca.crt").And.NotContain("LS0tLS1CRUdJTi");
        var missing = () => secret.GetString("tls.crt");
        missing.Should().Throw<KeyNotFoundException>().WithMessage("*default/vault-primary-tls*ca.crt*");
    }

    [Fact]
    public async Task Vault_custom_resource_status_is_typed()
    {
        _runner.On("kubectl").Returns(KubectlSamples.VaultCr);

        var vault = await Kubectl.TryGetVaultAsync(Primary, "default", "vault-primary", Ct);

        vault!.Status!.Nodes.Should().Equal("vault-primary-0");
        vault.Status.Leader.Should().Be("vault-primary-0");
        vault.Status.IsHealthy.Should().BeTrue();
        _runner.Invocations.Single().Arguments.Skip(4).Should().Equal("get", "--namespace", "default", "vaults.vault.banzaicloud.com", "vault-primary", "-o", "json");
    }

    [Fact]
    public async Task Missing_vault_custom_resource_is_null()
    {
        _runner.On("kubectl").ReturnsInOrder(NotFound("vaults.vault.banzaicloud.com \"vault-primary\""));

        (await Kubectl.TryGetVaultAsync(Primary, "default", "vault-primary", Ct)).Should().BeNull();
    }

    [Fact]
    public async Task Service_json_is_typed()
    {
        _runner.On("kubectl").Returns(KubectlSamples.PendingService);

        var service = await Kubectl.GetJsonAsync<KubeService>(Primary, "default", "service", "vault-primary", Ct);

        service.Spec!.Type.Should().Be("LoadBalancer");
        service.Spec.Ports!.Single().Port.Should().Be(8200);
        service.LoadBalancerIp.Should().BeNull();
    }

    [Theory]
    [InlineData("""{"clientVersion":{"major":"1","minor":"32+","gitVersion":"v1.32.4-dispatcher","platform":"linux/amd64"},"kustomizeVersion":"v5.5.0"}""", 1, 32, 4)]
    [InlineData("""{"clientVersion":{"major":"1","minor":"28","gitVersion":"v1.28.15","gitTreeState":"clean"},"kustomizeVersion":"v5.0.4-0.20230601165947-6ce0bf390ce3"}""", 1, 28, 15)]
    [InlineData("""{"clientVersion":{"gitVersion":"v1.31.2+k3s1"}}""", 1, 31, 2)]
    [InlineData("Client Version: v1.30.0\nKustomize Version: v5.0.4\n", 1, 30, 0)]
    public void Kubectl_client_version_parses(string output, int major, int minor, int patch)
    {
        var version = KubectlCli.ParseClientVersion(output);

        (version.Major, version.Minor, version.Patch).Should().Be((major, minor, patch));
    }

    [Fact]
    public async Task Client_version_needs_no_cluster_flags()
    {
        _runner.On("kubectl", "version").Returns("""{"clientVersion":{"gitVersion":"v1.32.4-dispatcher"}}""");

        var version = await Kubectl.GetClientVersionAsync(Ct);

        version.Core.Should().Be("v1.32.4");
        _runner.Invocations.Single().Arguments.Should().Equal("version", "--client", "-o", "json");
    }
}
