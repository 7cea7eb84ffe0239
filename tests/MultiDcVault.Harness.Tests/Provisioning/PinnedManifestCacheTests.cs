using System.Text;
using FluentAssertions;
using MultiDcVault.Harness.Configuration;
using MultiDcVault.Harness.Provisioning;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Provisioning;

/// <summary>Pinned manifests from a local server: verified on download and on every reuse; a mismatch leaves nothing behind.</summary>
public sealed class PinnedManifestCacheTests : IDisposable
{
    private const string RelativePath = "metallb/metallb/v9.9.9/config/manifests/metallb-native.yaml";

    private static readonly byte[] Content = Encoding.UTF8.GetBytes("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: metallb-system\n");

    private readonly string _root = Path.Combine(Path.GetTempPath(), "multidc-manifests-" + Guid.NewGuid().ToString("N"));
    private readonly LocalFileServer _server = LocalFileServer.Start();
    private readonly HttpClient _http = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _http.Dispose();
        _server.Dispose();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task A_verified_manifest_lands_in_the_tool_cache_and_is_reused_without_a_download()
    {
        _server.Files[RelativePath] = Content;
        var cache = Cache();

        var first = await cache.GetAsync(Manifest(ToolArtifacts.Sha256(Content)), Ct);
        _server.Requests.Clear();
        var second = await cache.GetAsync(Manifest(ToolArtifacts.Sha256(Content)), Ct);

        first.Downloaded.Should().BeTrue();
        first.Path.Should().Be(Path.Combine(_root, "manifests", "metallb-native-v9.9.9", "metallb-native.yaml"));
        (await File.ReadAllBytesAsync(first.Path, Ct)).Should().Equal(Content);
        second.Downloaded.Should().BeFalse();
        second.Path.Should().Be(first.Path);
        _server.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task A_download_that_does_not_match_the_pin_leaves_nothing_and_says_so_in_one_line()
    {
        _server.Files[RelativePath] = Encoding.UTF8.GetBytes("kind: Tampered\n");
        var cache = Cache();

        var error = await FluentActions.Awaiting(() => cache.GetAsync(Manifest(ToolArtifacts.Sha256(Content)), Ct))
            .Should().ThrowAsync<ToolChecksumMismatchException>();

        error.Which.Message.Should().NotContain("\n").And.Contain(ToolArtifacts.Sha256(Content)).And.Contain("Nothing was applied");
        Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories).Should().BeEmpty("neither the file nor a partial download stays");
    }

    [Fact]
    public async Task A_cached_copy_that_changed_on_disk_is_downloaded_again()
    {
        _server.Files[RelativePath] = Content;
        var cache = Cache();
        var manifest = Manifest(ToolArtifacts.Sha256(Content));
        var path = (await cache.GetAsync(manifest, Ct)).Path;
        await File.WriteAllTextAsync(path, "edited by hand\n", Ct);
        _server.Requests.Clear();

        var again = await cache.GetAsync(manifest, Ct);

        again.Downloaded.Should().BeTrue();
        _server.Requests.Should().Equal(RelativePath);
        (await File.ReadAllBytesAsync(path, Ct)).Should().Equal(Content);
    }

    [Fact]
    public async Task A_changed_cached_copy_whose_download_also_fails_is_not_left_for_the_next_run()
    {
        _server.Files[RelativePath] = Content;
        var cache = Cache();
        var manifest = Manifest(ToolArtifacts.Sha256(Content));
        var path = (await cache.GetAsync(manifest, Ct)).Path;
        await File.WriteAllTextAsync(path, "edited by hand\n", Ct);
        _server.Files[RelativePath] = Encoding.UTF8.GetBytes("kind: Tampered\n");

        await FluentActions.Awaiting(() => cache.GetAsync(manifest, Ct)).Should().ThrowAsync<ToolChecksumMismatchException>();

        File.Exists(path).Should().BeFalse();
    }

    /// <summary>
    /// metallb/metallb v0.16.1: config/manifests/metallb-native.yaml, `git show v0.16.1:config/manifests/metallb-native.yaml | sha256sum`
    /// (raw.githubusercontent.com serves the blob's bytes); MetalLbInstaller used this URL scheme before the cache.
    /// </summary>
    [Fact]
    public void The_default_metallb_version_is_pinned_to_the_upstream_native_manifest()
    {
        var pinned = PinnedManifests.MetalLbNative(new MultiDcOptions().MetalLbVersion)!;

        pinned.Should().NotBeNull();
        pinned.DownloadUrl().Should().Be(new Uri("https://raw.githubusercontent.com/metallb/metallb/v0.16.1/config/manifests/metallb-native.yaml"));
        pinned.Sha256.Should().Be("bf25feebb7582ca7df845efd52ffbc2960d6cbf4cfc972f47fded9f788b67f0b");
        PinnedManifests.MetalLbNative("v0.15.2").Should().BeNull("only pinned versions are accepted");
    }

    private PinnedManifestCache Cache() => new(_http, new ToolCache(_root), _server.BaseUrl);

    private static PinnedManifest Manifest(string sha256) => new()
    {
        Name = "metallb-native",
        Version = "v9.9.9",
        BaseUrl = new Uri("https://raw.githubusercontent.com/"),
        RelativePath = RelativePath,
        Sha256 = sha256,
    };
}
