using FluentAssertions;
using MultiDcVault.Harness.Infrastructure.Helm;
using MultiDcVault.Harness.Infrastructure.Processes;
using MultiDcVault.Harness.Infrastructure.Secrets;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Infrastructure.Helm;

public sealed class HelmCliTests
{
    private readonly ScriptedProcessRunner _runner = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static HelmRelease Operator => new(
        "vault-operator",
        "oci://ghcr.io/bank-vaults/helm-charts/vault-operator",
        "1.24.0",
        "vault-infra",
        "/work/multidc/kubeconfig-primary",
        "kind-primary");

    [Fact]
    public async Task Upgrade_install_pins_the_chart_targets_the_cluster_and_passes_values_as_strings()
    {
        _runner.On("helm", "upgrade", "--install").Returns();
        var release = Operator with
        {
            Values = new Dictionary<string, string> { ["image.tag"] = "v1.24.0", ["image.repository"] = "ghcr.io/bank-vaults/vault-operator" },
            Timeout = TimeSpan.FromMinutes(10),
        };

        await new HelmCli(_runner).UpgradeInstallAsync(release, Ct);

        _runner.Invocations.Should().ContainSingle().Which.Arguments.Should().Equal(
            "upgrade", "--install", "vault-operator", "oci://ghcr.io/bank-vaults/helm-charts/vault-operator",
            "--version", "1.24.0",
            "--namespace", "vault-infra",
            "--kubeconfig", "/work/multidc/kubeconfig-primary", "--kube-context", "kind-primary",
            "--create-namespace",
            "--wait",
            "--timeout", "600s",
            "--set-string", "image.repository=ghcr.io/bank-vaults/vault-operator",
            "--set-string", "image.tag=v1.24.0");
    }

    [Fact]
    public async Task Values_files_come_before_the_string_values_that_override_them()
    {
        _runner.On("helm", "upgrade", "--install").Returns();
        var release = Operator with
        {
            ValuesFiles = ["/work/multidc/manifests/primary/operator-values.yaml"],
            Values = new Dictionary<string, string> { ["bankVaults.image.tag"] = "v1.33.1" },
        };

        await new HelmCli(_runner).UpgradeInstallAsync(release, Ct);

        _runner.Invocations.Should().ContainSingle().Which.Arguments.Should().EndWith(
            ["-f", "/work/multidc/manifests/primary/operator-values.yaml", "--set-string", "bankVaults.image.tag=v1.33.1"]);
    }

    [Fact]
    public async Task Upgrade_install_can_skip_wait_and_namespace_creation()
    {
        _runner.On("helm").Returns();

        await new HelmCli(_runner).UpgradeInstallAsync(Operator with { Wait = false, CreateNamespace = false }, Ct);

        _runner.Invocations.Single().Arguments.Should().NotContain(["--wait", "--create-namespace"]);
    }

    [Fact]
    public async Task Secret_values_never_reach_the_error_message()
    {
        var token = new SecretValue("chart-registry-password-1234");
        _runner.On("helm", "upgrade").Fails(1, $"Error: values rejected: {token.Reveal()}");
        var release = Operator with { Values = new Dictionary<string, string> { ["auth.password"] = token.Reveal() }, SecretValues = [token] };

        var act = () => new HelmCli(_runner).UpgradeInstallAsync(release, Ct);

        var failure = (await act.Should().ThrowAsync<ProcessFailedException>()).Which;
        failure.Message.Should().NotContain(token.Reveal()).And.Contain("auth.password=" + Redactor.Mask);
    }

    [Fact]
    public async Task Uninstall_of_a_missing_release_succeeds_and_other_errors_throw()
    {
        _runner.On("helm", "uninstall").ReturnsInOrder(
            new ProcessResult(1, string.Empty, "Error: uninstall: Release not loaded: vault-operator: release: not found\n", TimeSpan.Zero),
            new ProcessResult(1, string.Empty, "Error: Kubernetes cluster unreachable: Get \"https://127.0.0.1:41234/version\": connection refused\n", TimeSpan.Zero));
        var helm = new HelmCli(_runner);

        await helm.UninstallAsync("vault-operator", "vault-infra", "/kc", "kind-primary", Ct);
        var act = () => helm.UninstallAsync("vault-operator", "vault-infra", "/kc", "kind-primary", Ct);

        (await act.Should().ThrowAsync<ProcessFailedException>()).Which.StandardErrorTail.Should().Contain("cluster unreachable");
        _runner.Invocations[0].Arguments.Should().Equal("uninstall", "vault-operator", "--namespace", "vault-infra", "--kubeconfig", "/kc", "--kube-context", "kind-primary", "--wait");
    }

    [Theory]
    [InlineData("v3.16.2+g13654a5\n", 3, 16, 2)]
    [InlineData("v3.12.0+gc9f554d\n", 3, 12, 0)]
    [InlineData("v4.0.0+g4cd3a83\n", 4, 0, 0)]
    [InlineData("v4.2\n", 4, 2, 0)]
    public void Short_version_of_helm_3_and_4_parses(string output, int major, int minor, int patch)
    {
        var version = HelmCli.ParseVersion(output);

        (version.Major, version.Minor, version.Patch).Should().Be((major, minor, patch));
    }

    [Fact]
    public async Task Get_version_asks_for_the_short_form()
    {
        _runner.On("helm", "version", "--short").Returns("v3.16.2+g13654a5\n");

        (await new HelmCli(_runner).GetVersionAsync(Ct)).Raw.Should().Be("v3.16.2+g13654a5");
    }
}
