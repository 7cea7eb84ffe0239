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

    /// <summary>Where a person names the rolling-upgrade scenario's target image (the runner's --to-vault-image wins over it).</summary>
    public const string UpgradeTargetVariable = "MULTIDC_UPGRADE_TO_VAULT_IMAGE";

    /// <summary>
    /// The Vault version an image runs, from its tag: "hashicorp/vault:2.1.2" and "hashicorp/vault:2.1.2@sha256:..." give 2.1.2.
    /// Community images are tagged with the plain version autopilot reports (see the rolling-upgrade facts), so the
    /// tag is what every node must report once upgraded. A digest alone names no version: refused.
    /// </summary>
    public static Version VersionOf(string image)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(image);
        var (_, tag) = ImageReference.Split(image);
        var at = tag.IndexOf('@', StringComparison.Ordinal);
        var version = at < 0 ? tag : tag[..at];
        var parts = version.Split('.');
        return parts.Length == 3 && parts.All(p => p.Length > 0 && p.All(char.IsAsciiDigit))
            ? Version.Parse(version)
            : throw new ArgumentException(
                $"Image '{image}' has no version tag (major.minor.patch, e.g. {Image(Versions[^1])}), so the version its nodes must report cannot be known.",
                nameof(image));
    }

    /// <summary>The version text autopilot reports for nodes of <paramref name="image"/> ("2.1.2").</summary>
    public static string VersionTextOf(string image) => VersionOf(image).ToString(3);

    /// <summary>
    /// The image the rolling-upgrade scenario upgrades <paramref name="currentImage"/> to: <paramref name="requested"/> when
    /// given, else the next version after the current one in <see cref="Versions"/> (the CI matrix). Refuses a target that is
    /// the current version or older: Vault upgrades its storage forward only, a binary swapped back is not a supported
    /// downgrade (developer.hashicorp.com/vault/docs/v1.9.x/upgrading: "Vault does not make backward-compatibility
    /// guarantees for its data store ... If you need to roll back to a previous version of Vault, you should roll back
    /// your data store as well"; developer.hashicorp.com/vault/docs/v2.x/upgrade/rollback: no automatic rollbacks, a
    /// rollback replaces the data store with a pre-upgrade snapshot). So the scenario only moves forward.
    /// </summary>
    /// <exception cref="OptionsValidationException">Why there is no valid target, naming how to give one.</exception>
    public static string UpgradeTarget(string currentImage, string? requested)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(currentImage);
        var how = $"name the target with --to-vault-image or {UpgradeTargetVariable}";
        if (string.IsNullOrWhiteSpace(requested))
        {
            var index = Images.ToList().IndexOf(currentImage);
            if (index < 0)
            {
                throw new OptionsValidationException(
                    $"The Vault image {currentImage} is not one the CI matrix tests ({string.Join(", ", Images)}), so there is no default upgrade target; {how}.");
            }

            return index == Images.Count - 1
                ? throw new OptionsValidationException(
                    $"The Vault image {currentImage} is the newest the CI matrix tests ({string.Join(", ", Images)}): there is no newer one to upgrade to by default; {how}, or bring the environment up on an older image.")
                : Images[index + 1];
        }

        var target = requested.Trim();
        if (ImageReference.UnpinnedReason(target) is { } unpinned)
        {
            throw new OptionsValidationException($"The upgrade target {target} is not pinned: {unpinned}.");
        }

        Version from, to;
        try
        {
            (from, to) = (VersionOf(currentImage), VersionOf(target));
        }
        catch (ArgumentException ex)
        {
            throw new OptionsValidationException(ex.Message.Split(" (Parameter", 2)[0], ex);
        }

        if (string.Equals(target, currentImage, StringComparison.Ordinal) || to == from)
        {
            throw new OptionsValidationException(
                $"The upgrade target {target} runs the version the environment already runs ({currentImage}): a rolling upgrade needs a newer one.");
        }

        return to < from
            ? throw new OptionsValidationException(
                $"The upgrade target {target} is older than the environment's {currentImage}: Vault does not support downgrading its Raft storage (a rollback restores a pre-upgrade snapshot); pick a version newer than {from.ToString(3)}.")
            : target;
    }
}
