using MultiDcVault.Harness.Configuration;
using MultiDcVault.Harness.Infrastructure.Secrets;

namespace MultiDcVault.Harness.Components.Kms;

/// <summary>How the central (KMS) Vault container is run and configured.</summary>
internal sealed record CentralVaultOptions
{
    public required string Session { get; init; }

    public required string Image { get; init; }

    public required string Network { get; init; }

    /// <summary>The environment is kept: its container and volume are meant to outlive this process (labelled so).</summary>
    public bool Kept { get; init; }

    public string TransitMountPath { get; init; } = "transit";

    public string TransitKeyName { get; init; } = "autounseal";

    /// <summary>
    /// unsealConfig.vault.unsealKeysPath: the logical KV v2 path bank-vaults writes key K under as
    /// &lt;path&gt;/K, so it includes the "data" segment (upstream multi-DC test: secret/data/vault-unseal-keys).
    /// </summary>
    public string UnsealKeysPath { get; init; } = "secret/data/vault-unseal-keys";

    /// <summary>
    /// Period of the in-cluster Vaults' orphan token. A periodic token lives as long as it is renewed within
    /// each period; the seal "transit" stanza leaves renewal on (no disable_renewal) and renews it through
    /// auth/token/renew-self, which the default policy grants, so a kept environment does not die after 32 days.
    /// </summary>
    public TimeSpan TokenPeriod { get; init; } = TimeSpan.FromHours(768);

    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromMinutes(2);

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public string ContainerName => CentralVault.ContainerNameFor(Session);

    /// <summary>The labelled named volume holding the server's file storage.</summary>
    public string DataVolumeName => CentralVault.DataVolumeNameFor(Session);

    public static CentralVaultOptions From(MultiDcOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new CentralVaultOptions
        {
            Session = options.Session,
            Image = options.EffectiveCentralVaultImage,
            Network = options.NetworkName,
            Kept = options.Keep,
        };
    }
}

/// <summary>What a later process needs to attach to (and unseal) the central Vault; the orchestration keeps it in secrets.json only.</summary>
/// <param name="ContainerName">The container it belongs to.</param>
/// <param name="RootToken">The central Vault's root token from sys/init.</param>
/// <param name="TransitToken">The in-cluster Vaults' periodic token.</param>
/// <param name="UnsealKey">The single unseal key share (base64) from sys/init; needed after every restart.</param>
internal sealed record CentralVaultState(
    string ContainerName,
    SecretValue RootToken,
    SecretValue TransitToken,
    SecretValue UnsealKey);
