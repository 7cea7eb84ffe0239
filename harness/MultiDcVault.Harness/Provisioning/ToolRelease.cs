namespace MultiDcVault.Harness.Provisioning;

internal enum ToolPackaging
{
    /// <summary>The download is the executable itself (kind, kubectl).</summary>
    Executable,

    /// <summary>The download is a .tar.gz holding the executable (helm: &lt;os&gt;-&lt;arch&gt;/helm).</summary>
    TarGz,
}

/// <summary>
/// One pinned release of a CLI: where its publisher puts each platform's download, how it is
/// packed, and the SHA-256 of the download per platform. Templates use {version}, {os}, {arch}.
/// </summary>
internal sealed record ToolRelease
{
    public required string Name { get; init; }

    /// <summary>As the publisher tags it, e.g. "v0.31.0".</summary>
    public required string Version { get; init; }

    /// <summary>The publisher's download root; the provisioner can be pointed at a mirror instead.</summary>
    public required Uri BaseUrl { get; init; }

    /// <summary>Path of the download below <see cref="BaseUrl"/>.</summary>
    public required string PathTemplate { get; init; }

    public ToolPackaging Packaging { get; init; } = ToolPackaging.Executable;

    /// <summary>Path of the executable inside the archive (TarGz only).</summary>
    public string? ArchiveEntryTemplate { get; init; }

    /// <summary>The publisher's checksum file is the download URL plus this suffix (".sha256sum", ".sha256").</summary>
    public required string ChecksumFileSuffix { get; init; }

    /// <summary>SHA-256 (lower-case hex) of the download, keyed by <see cref="ToolPlatform.Key"/>. Platforms missing here are verified against the publisher's checksum file.</summary>
    public IReadOnlyDictionary<string, string> PinnedSha256 { get; init; } = new Dictionary<string, string>();

    /// <summary>Cache directory name: "kind-v0.31.0".</summary>
    public string DirectoryName => $"{Name}-{Version}";

    public string RelativePath(ToolPlatform platform) => Expand(PathTemplate, platform);

    public Uri DownloadUrl(ToolPlatform platform, Uri? baseUrl = null)
    {
        ArgumentNullException.ThrowIfNull(platform);
        var root = (baseUrl ?? BaseUrl).AbsoluteUri;
        return new Uri(root.EndsWith('/') ? root + RelativePath(platform) : root + "/" + RelativePath(platform));
    }

    public Uri ChecksumUrl(ToolPlatform platform, Uri? baseUrl = null) =>
        new(DownloadUrl(platform, baseUrl).AbsoluteUri + ChecksumFileSuffix);

    public string? ArchiveEntry(ToolPlatform platform) =>
        ArchiveEntryTemplate is null ? null : Expand(ArchiveEntryTemplate, platform);

    public string? PinnedChecksum(ToolPlatform platform)
    {
        ArgumentNullException.ThrowIfNull(platform);
        return PinnedSha256.TryGetValue(platform.Key, out var sha) ? sha : null;
    }

    public override string ToString() => $"{Name} {Version}";

    private string Expand(string template, ToolPlatform platform)
    {
        ArgumentNullException.ThrowIfNull(platform);
        return template
            .Replace("{version}", Version, StringComparison.Ordinal)
            .Replace("{os}", platform.Os, StringComparison.Ordinal)
            .Replace("{arch}", platform.Architecture, StringComparison.Ordinal);
    }
}
