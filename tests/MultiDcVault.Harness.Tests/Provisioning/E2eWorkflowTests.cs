using FluentAssertions;
using MultiDcVault.Harness.Configuration;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace MultiDcVault.Harness.Tests.Provisioning;

/// <summary>What the E2E job must do on a GitHub runner before the tests can prove anything.</summary>
public sealed class E2eWorkflowTests
{
    private const string Job = "e2e";

    [Fact]
    public void The_matrix_runs_exactly_the_supported_vault_images_and_hands_each_to_the_harness()
    {
        var workflow = WorkflowFile.Load("e2e.yml");

        MatrixImages(workflow).Should().Equal(SupportedVaultVersions.Images);
        WorkflowFile.Scalars((YamlMappingNode)workflow.Job(Job).Children[WorkflowFile.Key("env")])["MULTIDC_VAULT_IMAGE"]
            .Should().Be("${{ matrix.vault-image }}", "each matrix job must run its own Vault image, not the default");
    }

    [Fact]
    public void The_default_vault_image_is_one_the_matrix_tests()
    {
        MatrixImages(WorkflowFile.Load("e2e.yml")).Should().Contain(new MultiDcOptions().VaultImage);
    }

    [Fact]
    public void Sch_netem_is_loaded_before_the_tests_with_the_extra_modules_as_fallback()
    {
        var workflow = WorkflowFile.Load("e2e.yml");
        var load = workflow.Steps(Job).Single(s => s.Run?.Contains("modprobe sch_netem", StringComparison.Ordinal) == true);
        var tests = workflow.Step(Job, "E2E tests");
        var script = load.Run!;

        load.Index.Should().BeLessThan(tests.Index, "the latency tests add a netem qdisc");
        script.Should().StartWith("set -euo pipefail");
        var fallback = script[script.IndexOf("||", StringComparison.Ordinal)..];
        fallback.Should().Contain("apt-get install").And.Contain("linux-modules-extra-$(uname -r)");
        fallback.LastIndexOf("modprobe sch_netem", StringComparison.Ordinal)
            .Should().BeGreaterThan(fallback.IndexOf("linux-modules-extra", StringComparison.Ordinal), "the module is loaded again once installed");
    }

    [Fact]
    public void The_operator_image_is_built_without_provenance_and_loaded_into_docker()
    {
        // kubernetes-sigs/kind#3795: with the containerd image store an attestation makes the image an
        // index that `kind load docker-image` fails to import ("content digest ... not found").
        var build = WorkflowFile.Load("e2e.yml").Step(Job, "Build the operator image under test").Run!;
        var commands = build.Split('\n').Select(l => l.Trim())
            .Where(l => l.StartsWith("docker build", StringComparison.Ordinal) || l.StartsWith("docker buildx build", StringComparison.Ordinal))
            .ToList();

        commands.Should().ContainSingle();
        commands[0].Should().StartWith("docker buildx build", "--provenance and --load are buildx flags")
            .And.Contain(" --provenance=false")
            .And.Contain(" --load", "kind load docker-image reads the image from the local Docker image store");
    }

    private static List<string> MatrixImages(WorkflowFile workflow)
    {
        var strategy = (YamlMappingNode)workflow.Job(Job).Children[WorkflowFile.Key("strategy")];
        var matrix = (YamlMappingNode)strategy.Children[WorkflowFile.Key("matrix")];
        return [.. ((YamlSequenceNode)matrix.Children[WorkflowFile.Key("vault-image")]).Children.Cast<YamlScalarNode>().Select(n => n.Value!)];
    }
}
