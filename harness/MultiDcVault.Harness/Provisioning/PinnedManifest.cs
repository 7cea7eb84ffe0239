namespace MultiDcVault.Harness.Provisioning;

/// <summary>
/// One upstream manifest the harness applies, pinned by the SHA-256 of its bytes: fetched once per
/// run into the tool cache and verified on download and on every reuse.
/// </summary>
internal sealed record PinnedManifest
{
    /// <summary>Short name, e.g. "metallb-native".</summary>
    public required string Name { get; init; }

    public required string Version { get; init; }

    /// <summary>The publisher's download root; a mirror (or a test server) can stand in for it.</summary>
    public required Uri BaseUrl { get; init; }

    /// <summary>Path of the file below <see cref="BaseUrl"/>.</summary>
    public required string RelativePath { get; init; }

    /// <summary>SHA-256 (lower-case hex) of the file's bytes.</summary>
    public required string Sha256 { get; init; }

    /// <summary>Cache directory name: "metallb-native-v0.16.1".</summary>
    public string DirectoryName => $"{Name}-{Version}";

    public string FileName => Path.GetFileName(RelativePath);

    public Uri DownloadUrl(Uri? baseUrl = null)
    {
        var root = (baseUrl ?? BaseUrl).AbsoluteUri;
        return new Uri(root.EndsWith('/') ? root + RelativePath : root + "/" + RelativePath);
    }

    public override string ToString() => $"{Name} {Version}";
}
