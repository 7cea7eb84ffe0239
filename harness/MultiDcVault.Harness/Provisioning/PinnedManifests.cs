namespace MultiDcVault.Harness.Provisioning;

/// <summary>
/// The upstream manifests the harness applies, with the SHA-256 of each as published. MetalLB's
/// native manifest: config/manifests/metallb-native.yaml of github.com/metallb/metallb at the
/// version's tag, served by raw.githubusercontent.com as the git blob's bytes; the values are
/// `git show &lt;tag&gt;:config/manifests/metallb-native.yaml | sha256sum` of the upstream repository.
/// </summary>
internal static class PinnedManifests
{
    private static readonly Uri GitHubRaw = new("https://raw.githubusercontent.com/");

    private static readonly IReadOnlyDictionary<string, string> MetalLbNativeSha256 = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["v0.16.0"] = "b0b9be2802f10aa32d45308b4457d06cde0c70544712c8d0cf5511657ffd2b69",
        ["v0.16.1"] = "bf25feebb7582ca7df845efd52ffbc2960d6cbf4cfc972f47fded9f788b67f0b",
    };

    /// <summary>MetalLB versions whose native manifest is pinned (the ones the harness accepts).</summary>
    public static IReadOnlyList<string> MetalLbVersions { get; } = [.. MetalLbNativeSha256.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The pinned native manifest of a MetalLB version; null when that version has no pin.</summary>
    public static PinnedManifest? MetalLbNative(string version)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        return MetalLbNativeSha256.TryGetValue(version, out var sha)
            ? new PinnedManifest
            {
                Name = "metallb-native",
                Version = version,
                BaseUrl = GitHubRaw,
                RelativePath = $"metallb/metallb/{version}/config/manifests/metallb-native.yaml",
                Sha256 = sha,
            }
            : null;
    }
}
