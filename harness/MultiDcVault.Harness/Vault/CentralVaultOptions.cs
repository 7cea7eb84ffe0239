using MultiDcVault.Harness.Topology;

namespace MultiDcVault.Harness.Vault;

/// <summary>How the central (KMS) Vault container is run and configured.</summary>
public sealed record CentralVaultOptions
{
    public required string Session { get; init; }

    public required string Image { get; init; }

    public required string Network { get; init; }

    public string TransitMountPath { get; init; } = "transit";

    public string TransitKeyName { get; init; } = "autounseal";

    /// <summary>
    /// unsealConfig.vault.unsealKeysPath: the logical KV v2 path bank-vaults writes key K under as
    /// &lt;path&gt;/K, so it includes the "data" segment (upstream multi-DC test: secret/data/vault-unseal-keys).
    /// </summary>
    public string UnsealKeysPath { get; init; } = "secret/data/vault-unseal-keys";

    /// <summary>Renewal period of the in-cluster Vaults' token; seal "transit" renews it while running.</summary>
    public TimeSpan TokenPeriod { get; init; } = TimeSpan.FromHours(768);

    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromMinutes(2);

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public string ContainerName => CentralVault.ContainerNameFor(Session);

    public static CentralVaultOptions From(MultiDcOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new CentralVaultOptions
        {
            Session = options.Session,
            Image = options.EffectiveCentralVaultImage,
            Network = options.NetworkName,
        };
    }
}

/// <summary>What a later run needs to reuse a running central Vault; the orchestration decides where to keep it.</summary>
public sealed record CentralVaultState(
    string ContainerName,
    Secrets.SecretValue RootToken,
    Secrets.SecretValue TransitToken);
