using System.Text.RegularExpressions;
using FluentAssertions;
using MultiDcVault.Harness.Configuration;
using MultiDcVault.Harness.Preflight;
using MultiDcVault.Harness.Provisioning;
using Xunit;

namespace MultiDcVault.Harness.Tests.Provisioning;

/// <summary>The pinned catalogue points at the publishers' real download paths and pins every common platform.</summary>
public sealed partial class PinnedToolsTests
{
    [Fact]
    public void The_doctor_requires_at_least_the_pinned_kind_whose_node_image_is_the_default()
    {
        // kubernetes-sigs/kind commit b22acfaf ("handle containerd v4 config format"): a kind older than the release
        // that built the node image cannot `kind load` into it; the default node image is kind v0.32.0's.
        new Harness.Preflight.PreflightSettings().Kind.Minimum.ToString().Should().Be(Harness.Provisioning.PinnedTools.Kind.Version);
    }

    [Theory]
    [InlineData("kind", "linux", "arm64", "https://github.com/kubernetes-sigs/kind/releases/download/v0.32.0/kind-linux-arm64", "https://github.com/kubernetes-sigs/kind/releases/download/v0.32.0/kind-linux-arm64.sha256sum")]
    [InlineData("helm", "darwin", "amd64", "https://get.helm.sh/helm-v4.2.0-darwin-amd64.tar.gz", "https://get.helm.sh/helm-v4.2.0-darwin-amd64.tar.gz.sha256sum")]
    [InlineData("kubectl", "linux", "amd64", "https://dl.k8s.io/release/v1.35.0/bin/linux/amd64/kubectl", "https://dl.k8s.io/release/v1.35.0/bin/linux/amd64/kubectl.sha256")]
    public void Download_and_checksum_urls_follow_each_publishers_layout(string tool, string os, string arch, string download, string checksum)
    {
        var release = PinnedTools.All.Single(t => t.Name == tool);
        var platform = new ToolPlatform(os, arch);

        release.DownloadUrl(platform).AbsoluteUri.Should().Be(download);
        release.ChecksumUrl(platform).AbsoluteUri.Should().Be(checksum);
    }

    [Fact]
    public void Helm_is_unpacked_from_its_os_arch_folder()
    {
        PinnedTools.Helm.Packaging.Should().Be(ToolPackaging.TarGz);
        PinnedTools.Helm.ArchiveEntry(new ToolPlatform("linux", "arm64")).Should().Be("linux-arm64/helm");
    }

    [Fact]
    public void Every_tool_pins_a_sha256_for_linux_and_macos_on_amd64_and_arm64()
    {
        foreach (var tool in PinnedTools.All)
        {
            tool.PinnedSha256.Keys.Should().BeEquivalentTo(["linux/amd64", "linux/arm64", "darwin/amd64", "darwin/arm64"], tool.Name);
            tool.PinnedSha256.Values.Should().OnlyContain(sha => sha.Length == 64 && sha.All(c => char.IsAsciiHexDigitLower(c) || char.IsAsciiDigit(c)), tool.Name);
            tool.PinnedSha256.Values.Should().OnlyHaveUniqueItems(tool.Name);
        }
    }

    [Fact]
    public void A_mirror_replaces_the_publishers_root_but_keeps_the_path()
    {
        PinnedTools.Kind.DownloadUrl(new ToolPlatform("linux", "amd64"), new Uri("http://127.0.0.1:8080/mirror"))
            .AbsoluteUri.Should().Be("http://127.0.0.1:8080/mirror/v0.32.0/kind-linux-amd64");
    }

    // The default node image of each kind release the harness has pinned: kubernetes-sigs/kind
    // v0.32.0 pkg/apis/config/defaults/image.go (const Image). Bumping kind means adding its line.
    private static readonly Dictionary<string, string> KindDefaultNodeImages = new(StringComparer.Ordinal)
    {
        ["v0.32.0"] = "kindest/node:v1.36.1@sha256:3489c7674813ba5d8b1a9977baea8a6e553784dab7b84759d1014dbd78f7ebd5",
    };

    [Fact]
    public void The_default_node_image_is_the_one_the_pinned_kind_release_was_built_for()
    {
        KindDefaultNodeImages.Should().ContainKey(PinnedTools.Kind.Version);
        new MultiDcOptions().KindNodeImage.Should().Be(KindDefaultNodeImages[PinnedTools.Kind.Version]);
    }

    [Fact]
    public void The_pinned_kubectl_is_within_one_minor_version_of_the_node_image_kubernetes()
    {
        // kubernetes/website content/en/releases/version-skew-policy.md: kubectl is supported within
        // one minor version (older or newer) of kube-apiserver.
        var node = KubernetesMinor(new MultiDcOptions().KindNodeImage);
        var kubectl = KubernetesMinor(PinnedTools.Kubectl.Version);

        Math.Abs(kubectl - node).Should().BeLessThanOrEqualTo(1, $"kubectl {PinnedTools.Kubectl.Version} drives a v1.{node} API server");
    }

    private static int KubernetesMinor(string text)
    {
        var match = KubernetesVersion().Match(text);
        match.Success.Should().BeTrue(text);
        return int.Parse(match.Groups["minor"].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"v1\.(?<minor>\d+)\.\d+")]
    private static partial Regex KubernetesVersion();
}
