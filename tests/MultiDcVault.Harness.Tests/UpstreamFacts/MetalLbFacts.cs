using FluentAssertions;
using MultiDcVault.Harness.Components.MetalLb;
using MultiDcVault.Harness.Infrastructure.Kubernetes;
using MultiDcVault.Harness.Planning.Manifests;
using MultiDcVault.Harness.Planning;
using MultiDcVault.Harness.Provisioning;
using MultiDcVault.Harness.Tests.Planning.Manifests;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;
using static MultiDcVault.Harness.Tests.Planning.Manifests.ManifestTestData;

namespace MultiDcVault.Harness.Tests.UpstreamFacts;

/// <summary>
/// metallb/metallb v0.16.1 config/manifests/metallb-native.yaml: Namespace metallb-system, Deployment "controller"
/// (labels app=metallb, component=controller), DaemonSet "speaker" (pod labels app=metallb, component=speaker),
/// CRDs ipaddresspools.metallb.io / l2advertisements.metallb.io served as v1beta1 (copies in /work/shared/schemas).
/// </summary>
public sealed class MetalLbFacts
{
    [Fact]
    public void The_installer_waits_for_the_objects_the_native_manifest_creates()
    {
        VaultConventions.MetalLbNamespace.Should().Be("metallb-system");
        MetalLbInstaller.ControllerDeployment.Should().Be("controller");
        MetalLbInstaller.SpeakerSelector.Split(',').Should().BeEquivalentTo("app=metallb", "component=speaker");
        PinnedManifests.MetalLbNative("v0.16.1")!.DownloadUrl().AbsoluteUri
            .Should().Be("https://raw.githubusercontent.com/metallb/metallb/v0.16.1/config/manifests/metallb-native.yaml");
    }

    // metallb/metallb v0.16.1 config/manifests/metallb-native.yaml (the pinned file, checksum verified): what the
    // installer waits for exists there under those names, and the CRDs the pools need come with it.
    [Fact]
    public void The_pinned_native_manifest_has_the_controller_deployment_and_speaker_daemonset_the_installer_waits_for()
    {
        Assert.SkipWhen(PinnedMetalLbManifest.Path is null, PinnedMetalLbManifest.MissingReason);
        var objects = ManifestDocuments.Parse(File.ReadAllText(PinnedMetalLbManifest.Path!));

        var controller = objects.Single(o => o.Kind == "Deployment");
        (controller.Name, controller.Namespace).Should().Be((MetalLbInstaller.ControllerDeployment, VaultConventions.MetalLbNamespace));
        var speaker = objects.Single(o => o.Kind == "DaemonSet");
        speaker.Namespace.Should().Be(VaultConventions.MetalLbNamespace);
        var labels = speaker.Body["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
        foreach (var pair in MetalLbInstaller.SpeakerSelector.Split(',').Select(p => p.Split('=')))
        {
            labels[pair[0]]!.GetValue<string>().Should().Be(pair[1], "the speaker pods carry the selector's labels");
        }

        objects.Where(o => o.Kind == "CustomResourceDefinition").Select(o => o.Name)
            .Should().Contain(["ipaddresspools.metallb.io", "l2advertisements.metallb.io"]);
        objects.Should().Contain(o => o.Kind == "Namespace" && o.Name == VaultConventions.MetalLbNamespace);
        objects.Should().Contain(o => o.Kind == "ValidatingWebhookConfiguration", "the pools are validated by a webhook, hence the retry");
    }

    [Theory]
    [InlineData("metallb.io_ipaddresspools.yaml", "IPAddressPool")]
    [InlineData("metallb.io_l2advertisements.yaml", "L2Advertisement")]
    public void Rendered_pools_use_the_version_and_namespace_the_crds_serve(string crdFile, string kind)
    {
        var schemas = SharedDirectory.Schemas();
        Assert.SkipWhen(schemas is null, SharedDirectory.MissingSchemasReason);
        var crd = CrdSchemaValidator.LoadFile(Path.Combine(schemas!, crdFile));
        var plan = Plan();

        var document = YamlObjects.ParseAll(new ManifestRenderer().RenderMetalLb(plan, plan.Leader).Content)
            .Cast<Dictionary<string, object?>>().Single(d => Equals(d["kind"], kind));

        crd.ServedVersions.Should().Contain("v1beta1");
        document["apiVersion"].Should().Be("metallb.io/v1beta1");
        document.Map("metadata")["namespace"].Should().Be(VaultConventions.MetalLbNamespace);
        crd.Validate(document).Should().BeEmpty();
    }
}
