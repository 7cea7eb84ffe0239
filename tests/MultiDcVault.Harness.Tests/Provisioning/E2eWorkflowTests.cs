using FluentAssertions;
using MultiDcVault.Harness.Configuration;
using MultiDcVault.Harness.Tests.TestSupport;
using MultiDcVault.Harness.Verification;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace MultiDcVault.Harness.Tests.Provisioning;

/// <summary>What the E2E job must do on a GitHub runner before the tests can prove anything.</summary>
public sealed class E2eWorkflowTests
{
    private const string Job = "e2e";
    private const string Upgrade = "upgrade";

    // The e2e job's steps the upgrade job repeats unchanged: the tool pins, the operator under test, the teardown.
    private static readonly string[] SharedSteps =
    [
        "Raise inotify limits", "Install pinned kind, helm and kubectl", "Tool versions", "Build the operator image under test", "Doctor", "Tear down",
    ];

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

    [Fact]
    public void The_upgrade_job_goes_from_the_oldest_matrix_version_to_the_next()
    {
        var env = WorkflowFile.Scalars((YamlMappingNode)WorkflowFile.Load("e2e.yml").Job(Upgrade).Children[WorkflowFile.Key("env")]);

        env["MULTIDC_VAULT_IMAGE"].Should().Be(SupportedVaultVersions.Images[0]);
        env[SupportedVaultVersions.UpgradeTargetVariable].Should().Be(SupportedVaultVersions.Images[1])
            .And.Be(SupportedVaultVersions.UpgradeTarget(env["MULTIDC_VAULT_IMAGE"], null), "the job names the target the scenario would default to");
        env["MULTIDC_REQUIRE_E2E"].Should().Be("1", "the upgrade job must not pass by skipping either");
        env["MULTIDC_WORK_DIR"].Should().Be("${{ github.workspace }}/artifacts/upgrade/work");
        env["MULTIDC_SESSION"].Should().NotBe(
            WorkflowFile.Scalars((YamlMappingNode)WorkflowFile.Load("e2e.yml").Job(Job).Children[WorkflowFile.Key("env")])["MULTIDC_SESSION"]);
    }

    [Fact]
    public void The_upgrade_job_runs_only_the_rolling_upgrade_and_the_matrix_jobs_leave_it_out()
    {
        var workflow = WorkflowFile.Load("e2e.yml");
        var upgrade = workflow.Step(Upgrade, "Rolling-upgrade E2E test");
        var ran = workflow.Step(Upgrade, "The rolling-upgrade test ran");

        upgrade.Run.Should().StartWith("dotnet test tests/MultiDcVault.E2E.Tests")
            .And.Contain($"--filter \"{ScenarioTraits.Only(ScenarioTraits.RollingUpgrade)}\"")
            .And.Contain("--results-directory artifacts/upgrade/results");
        workflow.Step(Job, "E2E tests").Run.Should().Contain($"--filter \"{ScenarioTraits.Except(ScenarioTraits.RollingUpgrade)}\"");

        // A filter that matches no test passes: the next step fails unless the TRX counted an executed test.
        ran.Index.Should().Be(upgrade.Index + 1);
        ran.Run.Should().StartWith("set -euo pipefail").And.Contain("'executed=\"[1-9]' artifacts/upgrade/results");
    }

    [Fact]
    public void The_upgrade_job_repeats_the_e2e_jobs_tool_and_operator_steps_unchanged()
    {
        var workflow = WorkflowFile.Load("e2e.yml");

        foreach (var name in SharedSteps)
        {
            Text(workflow.Step(Upgrade, name).Node).Should().Be(Text(workflow.Step(Job, name).Node), name);
        }

        // checkout and setup-dotnet, the steps without a name.
        workflow.Steps(Upgrade).Where(s => s.Name is null).Select(s => Text(s.Node))
            .Should().Equal(workflow.Steps(Job).Where(s => s.Name is null).Select(s => Text(s.Node)));
        var order = workflow.Steps(Upgrade).Select(s => s.Name).Where(n => n is not null).ToList();
        SharedSteps.Select(p => order.FindIndex(n => n!.StartsWith(p, StringComparison.Ordinal))).Should().BeInAscendingOrder().And.NotContain(-1);
    }

    [Fact]
    public void The_upgrade_job_uploads_what_the_e2e_job_does_and_never_credentials()
    {
        var workflow = WorkflowFile.Load("e2e.yml");
        string Paths(string job) => WorkflowFile.Scalars((YamlMappingNode)workflow.Step(job, "Upload run report").Node.Children[WorkflowFile.Key("with")])["path"];

        var upgrade = Paths(Upgrade);
        upgrade.Should().Be(Paths(Job).Replace("artifacts/e2e/", "artifacts/upgrade/", StringComparison.Ordinal));
        upgrade.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Should().Contain(
        [
            "artifacts/upgrade/work/", "!artifacts/upgrade/work/**/kubeconfig*", "!artifacts/upgrade/work/**/*.kubeconfig",
            "!artifacts/upgrade/work/**/secrets.json", "!artifacts/upgrade/work/**/access/**",
        ]);
    }

    private static string Text(YamlNode node)
    {
        using var writer = new StringWriter();
        new YamlStream(new YamlDocument(node)).Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    private static List<string> MatrixImages(WorkflowFile workflow)
    {
        var strategy = (YamlMappingNode)workflow.Job(Job).Children[WorkflowFile.Key("strategy")];
        var matrix = (YamlMappingNode)strategy.Children[WorkflowFile.Key("matrix")];
        return [.. ((YamlSequenceNode)matrix.Children[WorkflowFile.Key("vault-image")]).Children.Cast<YamlScalarNode>().Select(n => n.Value!)];
    }
}
