using MultiDcVault.Harness.Clusters.Kind;
using MultiDcVault.Harness.Configuration;
using FluentAssertions;
using MultiDcVault.Harness.Clusters;
using MultiDcVault.Harness.Environment.Steps;
using MultiDcVault.Harness.Health;
using MultiDcVault.Harness.Provisioning;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Environment;

/// <summary>How images and the MetalLB manifest reach the clusters: one pull per host, a load per cluster, nothing pulled by a node.</summary>
public sealed class ImageDeliveryTests
{
    private const string ContentDigestNotFound =
        "ERROR: failed to load image: command \"docker exec --privileged -i primary-control-plane ctr --namespace=k8s.io images import --all-platforms --digests --snapshotter=overlayfs -\" failed with error: exit status 1\n" +
        "Command Output: ctr: content digest sha256:82014a3cbf22d2e03382cd9b123f4151d956986e727340a466406a206408b7a2: not found\n";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Each_distinct_image_is_pulled_once_on_the_host_and_loaded_into_every_cluster_before_the_step_that_runs_it()
    {
        await using var world = new OrchestrationWorld();
        await using var environment = world.CreateEnvironment();

        await environment.UpAsync(world.Progress, Ct);

        var images = ClusterImages.For(world.Options);
        world.Docker.Pulls.Should().BeEquivalentTo(ClusterImages.HostPulls(world.Options), "every distinct image once, however many clusters");
        world.Docker.Pulls.Should().OnlyHaveUniqueItems();
        foreach (var cluster in world.Clusters)
        {
            var loads = world.Runner.InvocationsOf("kind", "load", "docker-image").Where(i => i.Arguments[^1] == cluster).ToList();
            loads.Select(l => l.Arguments.Skip(2).SkipLast(2)).Should().BeEquivalentTo([images.MetalLb, images.Operator, images.Vault]);

            var metalLbLoad = loads.Single(l => l.Arguments[2] == images.MetalLb[0]);
            var nativeApply = world.KubeCalls(cluster, ScriptedKubernetes.ApplyFile).Single(i => i.Name!.EndsWith("metallb-native.yaml", StringComparison.Ordinal));
            metalLbLoad.EndOrder.Should().BeLessThan(nativeApply.StartOrder, "MetalLB's pods must find their images on the node");

            var operatorLoad = loads.Single(l => l.Arguments[2] == images.Operator[0]);
            var helm = world.Runner.InvocationsOf("helm", "upgrade", "--install").Single(h => h.ValueOf("--kube-context") == $"kind-{cluster}");
            operatorLoad.EndOrder.Should().BeLessThan(helm.StartOrder);

            var vaultLoad = loads.Single(l => l.Arguments[2] == images.Vault[0]);
            vaultLoad.EndOrder.Should().BeLessThan(world.VaultApply(cluster).StartOrder, "the Vault pod's images are on the node before its CR");
        }

        world.Events.Should().Contain(e => e.Phase == $"pull {SupportedVaultVersions.DefaultImage}" && e.State == PhaseState.Started && e.Message == "1/1 layers",
            "a pull's progress reaches the caller as its phase's progress");

        var vaultLoads = world.Runner.InvocationsOf("kind", "load", "docker-image").Where(i => i.Arguments[2] == images.Vault[0]).ToList();
        vaultLoads[0].Overlaps(vaultLoads[1]).Should().BeTrue("loads into different clusters run side by side");
    }

    [Fact]
    public async Task Images_already_on_the_host_are_not_pulled_again()
    {
        await using var world = new OrchestrationWorld();
        foreach (var image in ClusterImages.HostPulls(world.Options))
        {
            world.Docker.AddImage(image);
        }

        await using var environment = world.CreateEnvironment();

        await environment.UpAsync(world.Progress, Ct);

        world.Docker.Pulls.Should().BeEmpty();
        world.Events.Where(e => e.Phase.StartsWith("pull ", StringComparison.Ordinal)).Should().OnlyContain(e => e.State == PhaseState.Skipped);
        world.Runner.InvocationsOf("kind", "load", "docker-image").Should().HaveCount(3 * world.Clusters.Count, "present images are still loaded into every cluster");
    }

    [Fact]
    public async Task The_central_vault_starts_only_after_its_image_was_pulled()
    {
        await using var world = new OrchestrationWorld();
        await using var environment = world.CreateEnvironment();

        await environment.UpAsync(world.Progress, Ct);

        var report = TimingReport.Parse(File.ReadAllText(Path.Combine(world.WorkDirectory, TimingReport.FileName)));
        var pull = report.Phases.Single(p => p.Phase == $"pull {world.Options.EffectiveCentralVaultImage}");
        report.Phases.Single(p => p.Phase == "central vault").StartSeconds.Should().BeGreaterThanOrEqualTo(pull.EndSeconds);
    }

    [Fact]
    public async Task A_missing_locally_built_operator_image_stops_up_before_anything_is_created()
    {
        await using var world = new OrchestrationWorld();
        world.Options = world.Options with { OperatorImage = "localhost/vault-operator:pr-9", LoadOperatorImage = true };
        await using var environment = world.CreateEnvironment();

        var error = await FluentActions.Awaiting(() => environment.UpAsync(world.Progress, Ct)).Should().ThrowAsync<PrerequisitesMissingException>();

        error.Which.Message.Should().Contain("'localhost/vault-operator:pr-9'").And.Contain("never pulled");
        world.Docker.Pulls.Should().BeEmpty();
        world.Runner.InvocationsOf("kind", "create", "cluster").Should().BeEmpty();
        world.Docker.NetworkExists.Should().BeFalse();
    }

    [Fact]
    public async Task When_the_containerd_image_store_breaks_kind_load_each_image_is_saved_once_for_the_local_platform_and_loaded_as_an_archive()
    {
        await using var world = new OrchestrationWorld();
        world.Options = world.Options with { OperatorImage = "localhost/vault-operator:pr-7", LoadOperatorImage = true };
        world.Docker.AddImage("localhost/vault-operator:pr-7", platform: "linux/arm64/v8");
        world.Runner.On("kind", "load", "docker-image").Fails(1, ContentDigestNotFound);
        world.Runner.On("docker", "image", "save").Returns();
        await using var environment = world.CreateEnvironment();

        await environment.UpAsync(world.Progress, Ct);

        var images = ClusterImages.For(world.Options).All;
        var saves = world.Runner.InvocationsOf("docker", "image", "save");
        saves.Select(s => s.Arguments[^1]).Should().BeEquivalentTo(images, "each image is saved once for all clusters");
        var operatorSave = saves.Single(s => s.Arguments[^1] == "localhost/vault-operator:pr-7");
        operatorSave.Arguments.Should().Equal(
            "image", "save", "--platform", "linux/arm64/v8", "-o", operatorSave.ValueOf("-o")!, "localhost/vault-operator:pr-7");
        operatorSave.ValueOf("-o").Should().StartWith(Path.Combine(world.WorkDirectory, "images"));

        foreach (var cluster in world.Clusters)
        {
            var archives = world.Runner.InvocationsOf("kind", "load", "image-archive").Where(i => i.Arguments[^1] == cluster).ToList();
            archives.Select(a => a.Arguments[2]).Should().BeEquivalentTo(saves.Select(s => s.ValueOf("-o")));
            var helm = world.Runner.InvocationsOf("helm", "upgrade", "--install").Single(h => h.ValueOf("--kube-context") == $"kind-{cluster}");
            archives.Single(a => a.Arguments[2] == operatorSave.ValueOf("-o")).EndOrder.Should().BeLessThan(helm.StartOrder);
        }

        world.Runner.InvocationsOf("kind", "load", "docker-image").Count.Should().BeLessThanOrEqualTo(3 * world.Clusters.Count);
        Directory.Exists(Path.Combine(world.WorkDirectory, "images")).Should().BeFalse("the archives are as large as the images; up removes them");
    }

    [Fact]
    public async Task A_manifest_that_fails_verification_installs_no_metallb_and_fails_up_with_its_reason()
    {
        await using var world = new OrchestrationWorld();
        world.Manifests.Error = new ToolChecksumMismatchException(new Uri("https://raw.githubusercontent.com/x"), "aa", "bb", "the SHA-256 pinned for metallb-native v0.16.1", "Nothing was applied to any cluster.");
        await using var environment = world.CreateEnvironment();

        var error = await FluentActions.Awaiting(() => environment.UpAsync(world.Progress, Ct)).Should().ThrowAsync<EnvironmentUpException>();

        error.Which.Message.Should().Contain("SHA-256 of https://raw.githubusercontent.com/x is bb");
        world.Runner.Invocations.Should().NotContain(i => i.Text.Contains("metallb-native.yaml", StringComparison.Ordinal));
    }

    [Fact]
    public void Archive_names_keep_images_apart_and_stay_plain_file_names()
    {
        ImageLoader.ArchiveName("localhost:5000/vault-operator:pr-1").Should().Be("localhost_5000_vault-operator_pr-1.tar");
        ImageLoader.ArchiveName("quay.io/metallb/speaker:v0.16.1").Should().NotBe(ImageLoader.ArchiveName("quay.io/metallb/controller:v0.16.1"));
    }
}
