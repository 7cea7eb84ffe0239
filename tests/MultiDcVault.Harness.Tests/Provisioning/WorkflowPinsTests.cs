using FluentAssertions;
using MultiDcVault.Harness.Provisioning;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace MultiDcVault.Harness.Tests.Provisioning;

/// <summary>
/// The E2E workflow installs kind and helm itself (before any .NET runs); its versions and SHA-256
/// pins must be the ones the harness pins, or CI would test with tools users never get.
/// </summary>
public sealed class WorkflowPinsTests
{
    private static readonly ToolPlatform RunnerPlatform = new("linux", "amd64");

    [Fact]
    public void E2e_workflow_installs_the_pinned_kind_and_helm_with_their_pinned_checksums()
    {
        var env = WorkflowEnvironment("e2e.yml");

        env["KIND_VERSION"].Should().Be(PinnedTools.Kind.Version);
        env["KIND_SHA256"].Should().Be(PinnedTools.Kind.PinnedChecksum(RunnerPlatform));
        env["HELM_VERSION"].Should().Be(PinnedTools.Helm.Version);
        env["HELM_SHA256"].Should().Be(PinnedTools.Helm.PinnedChecksum(RunnerPlatform));
    }

    [Fact]
    public void E2e_workflow_downloads_from_the_urls_the_harness_uses_and_checks_before_installing()
    {
        var script = InstallStep("e2e.yml");

        script.Should().Contain("https://github.com/kubernetes-sigs/kind/releases/download/${KIND_VERSION}/kind-linux-amd64");
        script.Should().Contain("https://get.helm.sh/helm-${HELM_VERSION}-linux-amd64.tar.gz");
        script.IndexOf("sha256sum --check", StringComparison.Ordinal).Should().BeLessThan(
            script.IndexOf("chmod +x", StringComparison.Ordinal), "nothing unverified is made executable");
        script.Should().Contain("set -euo pipefail", "a failed check must stop the step");
    }

    private static Dictionary<string, string> WorkflowEnvironment(string file)
    {
        var env = (YamlMappingNode)Load(file).Children[new YamlScalarNode("env")];
        return env.Children.ToDictionary(e => ((YamlScalarNode)e.Key).Value!, e => ((YamlScalarNode)e.Value).Value!, StringComparer.Ordinal);
    }

    private static string InstallStep(string file)
    {
        var jobs = (YamlMappingNode)Load(file).Children[new YamlScalarNode("jobs")];
        var steps = jobs.Children.Values.Cast<YamlMappingNode>()
            .SelectMany(job => ((YamlSequenceNode)job.Children[new YamlScalarNode("steps")]).Children.Cast<YamlMappingNode>());
        var install = steps.Single(s => s.Children.TryGetValue(new YamlScalarNode("name"), out var name) &&
            ((YamlScalarNode)name).Value!.StartsWith("Install pinned kind and helm", StringComparison.Ordinal));
        return ((YamlScalarNode)install.Children[new YamlScalarNode("run")]).Value!;
    }

    private static YamlMappingNode Load(string file)
    {
        var root = SharedDirectory.FindRepositoryRoot();
        Assert.SkipWhen(root is null, $"{SharedDirectory.SolutionFileName} not found above {AppContext.BaseDirectory}: the tests run outside the repository.");
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(root!.FullName, ".github", "workflows", file));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }
}
