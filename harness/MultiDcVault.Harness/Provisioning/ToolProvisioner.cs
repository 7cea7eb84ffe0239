using System.Formats.Tar;
using System.IO.Compression;
using MultiDcVault.Harness.Infrastructure.Processes;

namespace MultiDcVault.Harness.Provisioning;

internal enum ChecksumOrigin
{
    /// <summary>The SHA-256 compiled into <see cref="PinnedTools"/>.</summary>
    Pinned,

    /// <summary>No pin for this platform: the publisher's checksum file from the same release.</summary>
    PublisherChecksumFile,
}

/// <summary>A CLI ready to run from the tool cache.</summary>
/// <param name="ExecutablePath">&lt;root&gt;/&lt;tool&gt;-&lt;version&gt;/&lt;tool&gt;.</param>
/// <param name="LinkPath">&lt;root&gt;/bin/&lt;tool&gt;, what ExecutableResolver finds.</param>
/// <param name="Sha256">SHA-256 of the verified download.</param>
/// <param name="Downloaded">False when an earlier verified install was reused.</param>
internal sealed record ProvisionedTool(
    ToolRelease Release,
    string ExecutablePath,
    string LinkPath,
    string Sha256,
    ChecksumOrigin ChecksumOrigin,
    bool Downloaded);

/// <summary>
/// Downloads a pinned CLI for this OS and architecture, verifies its SHA-256 before anything
/// is written where a resolver could find it, unpacks it (tar.gz), marks it executable and
/// links it into the cache's bin directory. A failed or tampered download leaves nothing behind.
/// </summary>
internal sealed class ToolProvisioner
{
    private const string MarkerFileName = ".sha256";
    private const UnixFileMode Executable =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private readonly HttpClient _http;
    private readonly ToolCache _cache;
    private readonly ToolPlatform _platform;
    private readonly Uri? _baseUrl;

    /// <param name="baseUrl">Download from this root instead of each publisher's (a mirror; tests use a local server).</param>
    public ToolProvisioner(HttpClient http, ToolCache cache, ToolPlatform? platform = null, Uri? baseUrl = null)
    {
        _http = http ?? throw new ArgumentNullException(nameof(http));
        _cache = cache ?? throw new ArgumentNullException(nameof(cache));
        _platform = platform ?? ToolPlatform.Current;
        _baseUrl = baseUrl;
    }

    public ToolCache Cache => _cache;

    /// <summary>A resolver that searches the cache's bin directory before PATH.</summary>
    public ExecutableResolver CreateResolver() => new(_cache.BinDirectory);

    public async Task<ProvisionedTool> InstallAsync(ToolRelease release, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(release);
        if (_platform.Os is not ("linux" or "darwin"))
        {
            throw new ToolProvisioningException(
                $"Installing {release} automatically works on Linux and macOS, not on {_platform}. {ToolInstallHints.For(release.Name)}");
        }

        var url = release.DownloadUrl(_platform, _baseUrl);
        var (expected, origin, source) = await ExpectedChecksumAsync(release, cancellationToken);
        var target = _cache.ExecutablePath(release);
        if (await IsInstalledAsync(release, expected, cancellationToken))
        {
            return new ProvisionedTool(release, target, Link(release), expected, origin, Downloaded: false);
        }

        Directory.CreateDirectory(_cache.Root);
        var download = Path.Combine(_cache.Root, $".download-{release.Name}-{Guid.NewGuid():N}");
        var unpacked = download + ".bin";
        try
        {
            var actual = await VerifiedDownload.DownloadAsync(_http, url, download, cancellationToken);
            if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
            {
                throw new ToolChecksumMismatchException(url, expected, actual, source);
            }

            var executable = release.Packaging == ToolPackaging.TarGz
                ? await ExtractAsync(download, release.ArchiveEntry(_platform)!, unpacked, url, cancellationToken)
                : download;
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(executable, Executable);
            }

            var directory = _cache.VersionDirectory(release);
            Directory.CreateDirectory(directory);
            File.Move(executable, target, overwrite: true);
            await File.WriteAllTextAsync(Path.Combine(directory, MarkerFileName), expected, cancellationToken);
            return new ProvisionedTool(release, target, Link(release), expected, origin, Downloaded: true);
        }
        finally
        {
            File.Delete(download);
            File.Delete(unpacked);
        }
    }

    private async Task<(string Sha256, ChecksumOrigin Origin, string Source)> ExpectedChecksumAsync(ToolRelease release, CancellationToken cancellationToken)
    {
        if (release.PinnedChecksum(_platform) is { } pinned)
        {
            return (pinned, ChecksumOrigin.Pinned, $"the checksum pinned for {release} {_platform}");
        }

        // No pin for this platform: trust the publisher's checksum file of the same release (HTTPS).
        var checksumUrl = release.ChecksumUrl(_platform, _baseUrl);
        string text;
        try
        {
            using var response = await _http.GetAsync(checksumUrl, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new ToolProvisioningException(
                    $"No checksum is pinned for {release} on {_platform}, and {checksumUrl} answered {(int)response.StatusCode} {response.ReasonPhrase}. " +
                    $"Nothing was installed. {ToolInstallHints.For(release.Name)}");
            }

            text = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new ToolProvisioningException($"Could not fetch {checksumUrl}: {ex.Message}. Nothing was installed. {ToolInstallHints.For(release.Name)}", ex);
        }

        // "<hex>" (kubectl) or "<hex>  <file name>" (kind, helm).
        var first = text.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? string.Empty;
        if (first.Length != 64 || !first.All(Uri.IsHexDigit))
        {
            throw new ToolProvisioningException($"{checksumUrl} does not hold a SHA-256 (it starts with '{Truncate(first)}'). Nothing was installed.");
        }

        return (first.ToLowerInvariant(), ChecksumOrigin.PublisherChecksumFile, checksumUrl.AbsoluteUri);
    }

    private async Task<bool> IsInstalledAsync(ToolRelease release, string expected, CancellationToken cancellationToken)
    {
        var marker = Path.Combine(_cache.VersionDirectory(release), MarkerFileName);
        if (!File.Exists(_cache.ExecutablePath(release)) || !File.Exists(marker))
        {
            return false;
        }

        var recorded = (await File.ReadAllTextAsync(marker, cancellationToken)).Trim();
        return string.Equals(recorded, expected, StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<string> ExtractAsync(string archive, string entryName, string destination, Uri url, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(archive);
        await using var gzip = new GZipStream(file, CompressionMode.Decompress);
        await using var tar = new TarReader(gzip);
        while (await tar.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
        {
            var name = entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name;
            if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile && name == entryName)
            {
                await entry.ExtractToFileAsync(destination, overwrite: true, cancellationToken);
                return destination;
            }
        }

        throw new ToolProvisioningException($"{url} does not contain {entryName}. Nothing was installed.");
    }

    private string Link(ToolRelease release)
    {
        var link = _cache.LinkPath(release);
        Directory.CreateDirectory(_cache.BinDirectory);
        if (File.Exists(link) || new FileInfo(link).LinkTarget is not null)
        {
            File.Delete(link);
        }

        try
        {
            File.CreateSymbolicLink(link, _cache.ExecutablePath(release));
        }
        catch (IOException)
        {
            // File systems without symlinks: a copy works the same for the resolver.
            File.Copy(_cache.ExecutablePath(release), link, overwrite: true);
        }

        return link;
    }

    private static string Truncate(string text) => text.Length <= 20 ? text : text[..20] + "...";
}
