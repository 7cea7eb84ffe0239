namespace MultiDcVault.Harness.Configuration;

/// <summary>
/// The hashicorp/vault images the E2E workflow runs (its matrix must list exactly these) and the
/// default of <see cref="MultiDcOptions.VaultImage"/>: the newest published community image of each
/// line as of 2026-12. 1.21.4 is the last community 1.21 release (later 1.21 patches are enterprise
/// builds, published as hashicorp/vault-enterprise only); 2.0.4 is the last 2.0 patch; 2.1.2 is the
/// current line. SupportedVaultVersionsTests names the sources.
/// </summary>
internal static class SupportedVaultVersions
{
    public const string Repository = "hashicorp/vault";

    /// <summary>Oldest first, the order the E2E matrix lists them in.</summary>
    public static IReadOnlyList<string> Versions { get; } = ["1.21.4", "2.0.4", "2.1.2"];

    public static IReadOnlyList<string> Images { get; } = [.. Versions.Select(Image)];

    /// <summary>
    /// The newest 2.0 image, not 2.1: the pinned vault-operator v1.24.0 tests Vault 1.21.x and 2.0.x
    /// only, so the default stays on a line the operator is tested with; CI also runs 2.1.
    /// </summary>
    public static string DefaultImage { get; } = Image("2.0.4");

    public static string Image(string version) => $"{Repository}:{version}";
}
