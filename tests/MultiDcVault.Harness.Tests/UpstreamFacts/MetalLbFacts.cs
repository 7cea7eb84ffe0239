using FluentAssertions;
using MultiDcVault.Harness.Components.MetalLb;
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
