using FluentAssertions;
using MultiDcVault.Harness.Clusters;
using MultiDcVault.Harness.Configuration;
using Xunit;

namespace MultiDcVault.Harness.Tests.Clusters;

public sealed class ClusterImagesTests
{
    /// <summary>
    /// metallb/metallb v0.16.1 config/manifests/metallb-native.yaml: the controller Deployment runs
    /// quay.io/metallb/controller:v0.16.1 and the speaker DaemonSet quay.io/metallb/speaker:v0.16.1; no
    /// other image (FRR is only in metallb-frr.yaml) and no imagePullPolicy, so Kubernetes defaults it.
    /// </summary>
    [Fact]
    public void Metallb_runs_the_controller_and_speaker_of_its_release()
    {
        ClusterImages.MetalLbImages("v0.16.1").Should().Equal("quay.io/metallb/controller:v0.16.1", "quay.io/metallb/speaker:v0.16.1");
    }

    /// <summary>
    /// bank-vaults/vault-operator v1.24.0 pkg/controller/vault/vault_controller.go: the Vault pod's "vault" container
    /// runs Spec.GetVaultImage(), its "bank-vaults" sidecar and "config-templating" init container and the configurer
    /// Deployment run Spec.GetBankVaultsImage(); pkg/apis/vault/v1alpha1/vault_types.go: an empty spec.image means
    /// hashicorp/vault:latest and an empty bankVaultsImage the operator's default (":latest" unless BANK_VAULTS_IMAGE),
    /// so the CR always names both. deploy/charts/vault-operator/templates/deployment.yaml: the operator Deployment
    /// runs only the operator image.
    /// </summary>
    [Fact]
    public void The_default_images_are_grouped_by_the_step_that_runs_them_and_all_pinned()
    {
        var options = new MultiDcOptions();

        var images = ClusterImages.For(options);

        images.MetalLb.Should().Equal("quay.io/metallb/controller:v0.16.1", "quay.io/metallb/speaker:v0.16.1");
        images.Operator.Should().Equal("ghcr.io/bank-vaults/vault-operator:v1.24.0");
        images.Vault.Should().Equal(SupportedVaultVersions.DefaultImage, "ghcr.io/bank-vaults/bank-vaults:v1.33.1");
        ClusterImages.HostPulls(options).Should().OnlyHaveUniqueItems().And.HaveCount(5, "the central Vault runs the in-cluster Vault image by default: one pull");
        ClusterImages.HostPulls(options).Append(options.KindNodeImage).Should().OnlyContain(i => ImageReference.IsPinned(i));
    }

    [Fact]
    public void A_separate_central_vault_image_is_pulled_on_the_host_but_not_loaded()
    {
        var options = new MultiDcOptions { CentralVaultImage = "hashicorp/vault:1.21.6" };

        ClusterImages.HostPulls(options).Should().Contain("hashicorp/vault:1.21.6");
        ClusterImages.For(options).All.Should().NotContain("hashicorp/vault:1.21.6");
    }

    /// <summary>
    /// Nodes never pull a loaded image because every container that runs one asks IfNotPresent (or Never):
    /// kubernetes/kubernetes pkg/apis/core/v1/defaults.go SetDefaults_Container defaults an empty
    /// imagePullPolicy to Always only for the tag "latest" (an untagged reference parses as latest) and to
    /// IfNotPresent otherwise (MetalLB's manifest sets none); the operator sets PullIfNotPresent on every container
    /// it builds (vault-operator v1.24.0 pkg/controller/vault/vault_controller.go); the operator's own pod gets
    /// image.pullPolicy Never from the rendered values. Validation refuses :latest and untagged images.
    /// </summary>
    [Theory]
    [InlineData("quay.io/metallb/speaker:v0.16.1", "IfNotPresent")]
    [InlineData("quay.io/metallb/speaker", "Always")]
    [InlineData("quay.io/metallb/speaker:latest", "Always")]
    public void Only_a_pinned_image_keeps_the_kubernetes_default_pull_policy_from_pulling_a_loaded_image(string image, string kubernetesDefault)
    {
        (ImageReference.IsPinned(image) ? "IfNotPresent" : "Always").Should().Be(kubernetesDefault);
    }
}
