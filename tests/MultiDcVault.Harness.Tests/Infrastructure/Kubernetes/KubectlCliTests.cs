using FluentAssertions;
using MultiDcVault.Harness.Infrastructure.Kubernetes;
using MultiDcVault.Harness.Infrastructure.Processes;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Infrastructure.Kubernetes;

/// <summary>What is left on kubectl: the diagnostics' text views (port-forward: PortForwardTests) and the doctor's client version.</summary>
public sealed class KubectlCliTests
{
    private static readonly KubeTarget Primary = new("/work/multidc/kubeconfig-primary", "kind-primary");

    private readonly ScriptedProcessRunner _runner = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private KubectlCli Kubectl => new(_runner);

    private static ProcessResult Ok(string stdout) => new(0, stdout, string.Empty, TimeSpan.Zero);

    [Fact]
    public async Task Every_cluster_call_names_its_kubeconfig_and_context_first()
    {
        _runner.Fallback = _ => Ok(string.Empty);
        var kubectl = Kubectl;

        await kubectl.DescribeAsync(Primary, "default", "pod/vault-primary-0", Ct);
        await kubectl.GetAllAsync(Primary, Ct);
        await kubectl.GetEventsAsync(Primary, Ct);

        _runner.Invocations.Select(i => string.Join(' ', i.Arguments.Skip(4))).Should().Equal(
            "describe --namespace default pod/vault-primary-0",
            "get all --all-namespaces -o wide",
            "get events --all-namespaces --sort-by=.lastTimestamp");
        _runner.Invocations.Should().OnlyContain(i =>
            i.Arguments.Take(4).SequenceEqual(new[] { "--kubeconfig", Primary.KubeconfigPath, "--context", "kind-primary" }));
        _runner.Invocations.Should().OnlyContain(i => !i.Spec.LogOutput, "describe and events text may hold secrets; it goes to the bundle, redacted");
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
