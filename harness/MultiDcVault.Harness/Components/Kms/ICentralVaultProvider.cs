using MultiDcVault.Harness.Infrastructure.Secrets;
using MultiDcVault.Harness.Planning.Manifests;

namespace MultiDcVault.Harness.Components.Kms;

/// <summary>A running central Vault as orchestration uses it.</summary>
internal interface ICentralVaultSession
{
    string ContainerName { get; }

    /// <summary>What the clusters use (the container's network IP).</summary>
    Uri InNetworkAddress { get; }

    /// <summary>What this process uses.</summary>
    Uri HostAddress { get; }

    /// <summary>Tokens and the unseal key a later process needs to attach; goes to secrets.json only.</summary>
    CentralVaultState State { get; }

    bool Reused { get; }

    /// <summary>True when its address was fixed at create time, so a restart keeps it; false when Docker picked it.</summary>
    bool FixedAddress { get; }

    /// <summary>Values the Vault CRs need: address, token, key paths.</summary>
    RuntimeValues RuntimeValues(string? leaderLoadBalancerIp);

    /// <summary>The in-cluster root token bank-vaults stored; null until it initialised the leader.</summary>
    Task<SecretValue?> TryReadRootTokenAsync(CancellationToken cancellationToken);

    /// <summary>Stops the container: a KMS outage. Its storage stays; <see cref="StartAgainAsync"/> brings it back.</summary>
    Task StopAsync(CancellationToken cancellationToken);

    /// <summary>Starts the stopped container at the same address and unseals it.</summary>
    Task StartAgainAsync(CancellationToken cancellationToken);
}

/// <summary>Starts, attaches to and removes the session's central Vault. The real one is <see cref="CentralVaultProvider"/>.</summary>
internal interface ICentralVaultProvider
{
    string ContainerName { get; }

    /// <summary>Removes any leftover of this session's central Vault (container and volume) and starts, initialises and configures a new one.</summary>
    /// <param name="ipv4Address">The planned fixed address on the shared network; null lets Docker pick.</param>
    Task<ICentralVaultSession> StartFreshAsync(string? ipv4Address, CancellationToken cancellationToken);

    /// <summary>
    /// Attaches to the existing central Vault with an earlier run's state, unsealing it when sealed. Never starts,
    /// removes or replaces it: throws <see cref="CentralVaultUnavailableException"/> (one line) when it cannot be used.
    /// </summary>
    Task<ICentralVaultSession> AttachAsync(CentralVaultState previous, CancellationToken cancellationToken);

    /// <summary>
    /// Starts the session's central Vault container when it exists and is stopped (a KMS outage or a power cycle left behind), so that
    /// <see cref="AttachAsync"/> can unseal it; true when it started it. Never creates or replaces one.
    /// </summary>
    Task<bool> StartIfStoppedAsync(CancellationToken cancellationToken);

    /// <summary>Removes the container and its data volume, and says which of the two existed.</summary>
    Task<CentralVaultRemoval> RemoveAsync(CancellationToken cancellationToken);

    /// <summary>The name of the labelled volume holding its storage.</summary>
    string DataVolumeName { get; }
}
