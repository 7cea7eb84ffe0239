using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;

namespace MultiDcVault.Harness.Provisioning;

/// <summary>A pinned manifest on disk, verified.</summary>
/// <param name="Path">&lt;tool cache&gt;/manifests/&lt;name&gt;-&lt;version&gt;/&lt;file&gt;.</param>
/// <param name="Downloaded">False when a verified cached copy was reused.</param>
internal sealed record CachedManifest(PinnedManifest Manifest, string Path, bool Downloaded);

/// <summary>Where an up gets the upstream manifests it applies (the real one: <see cref="PinnedManifestCache"/>).</summary>
internal interface IPinnedManifestSource
{
    Task<CachedManifest> GetAsync(PinnedManifest manifest, CancellationToken cancellationToken);
}

/// <summary>
/// Keeps pinned manifests in the tool cache (&lt;root&gt;/manifests/...). A cached copy is hashed on
/// every reuse; one that no longer matches its pin is downloaded again. A download is verified before
/// it is moved into place: a mismatch leaves nothing in the cache and fails with one line.
/// </summary>
internal sealed partial class PinnedManifestCache : IPinnedManifestSource
{
    public const string DirectoryName = "manifests";

    private readonly HttpClient _http;
    private readonly ToolCache _cache;
    private readonly Uri? _baseUrl;
    private readonly ILogger _logger;

    /// <param name="baseUrl">Download from this root instead of the publisher's (a mirror; tests use a local server).</param>
    public PinnedManifestCache(HttpClient http, ToolCache cache, Uri? baseUrl = null, ILogger<PinnedManifestCache>? logger = null)
    {
        _http = http ?? throw new ArgumentNullException(nameof(http));
        _cache = cache ?? throw new ArgumentNullException(nameof(cache));
        _baseUrl = baseUrl;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    public string PathOf(PinnedManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return Path.Combine(_cache.Root, DirectoryName, manifest.DirectoryName, manifest.FileName);
    }

    public async Task<CachedManifest> GetAsync(PinnedManifest manifest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var path = PathOf(manifest);
        if (File.Exists(path))
        {
            var cached = await VerifiedDownload.Sha256OfFileAsync(path, cancellationToken);
            if (string.Equals(cached, manifest.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                return new CachedManifest(manifest, path, Downloaded: false);
            }

            LogCachedCopyChanged(_logger, path, cached, manifest.Sha256);
            File.Delete(path);
        }

        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        var download = Path.Combine(directory, $".download-{Guid.NewGuid():N}");
        var url = manifest.DownloadUrl(_baseUrl);
        try
        {
            var actual = await VerifiedDownload.DownloadAsync(_http, url, download, cancellationToken);
            if (!string.Equals(actual, manifest.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new ToolChecksumMismatchException(url, manifest.Sha256, actual, $"the SHA-256 pinned for {manifest}", "Nothing was applied to any cluster; retry later or check the proxy.");
            }

            File.Move(download, path, overwrite: true);
            return new CachedManifest(manifest, path, Downloaded: true);
        }
        finally
        {
            File.Delete(download);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The cached {Path} has SHA-256 {Actual}, not the pinned {Expected}; downloading it again")]
    private static partial void LogCachedCopyChanged(ILogger logger, string path, string actual, string expected);
}
