using MultiDcVault.Harness.Secrets;
using MultiDcVault.Harness.Vault;

namespace MultiDcVault.Harness.Orchestration;

/// <summary>A running central Vault as orchestration uses it.</summary>
public interface ICentralVaultSession
{
    string ContainerName { get; }

    /// <summary>What the clusters use (the container's network IP).</summary>
    Uri InNetworkAddress { get; }

    /// <summary>What this process uses.</summary>
    Uri HostAddress { get; }

    /// <summary>Tokens a later process needs to reuse it; goes to secrets.json only.</summary>
    CentralVaultState State { get; }

    bool Reused { get; }

    /// <summary>Values the Vault CRs need: address, token, key paths.</summary>
    Manifests.RuntimeValues RuntimeValues(string? leaderLoadBalancerIp);

    /// <summary>The in-cluster root token bank-vaults stored; null until it initialised the leader.</summary>
    Task<SecretValue?> TryReadRootTokenAsync(CancellationToken cancellationToken);
}

/// <summary>Starts, adopts and removes the session's central Vault. The real one is <see cref="CentralVaultProvider"/>.</summary>
public interface ICentralVaultProvider
{
    string ContainerName { get; }

    /// <summary>Adopts the running container when <paramref name="previous"/> still authenticates, else starts a fresh one.</summary>
    Task<ICentralVaultSession> ReuseOrStartAsync(CentralVaultState? previous, CancellationToken cancellationToken);

    /// <summary>Adopts the running container with <paramref name="previous"/> tokens; null when it is gone or they no longer work. Never starts one.</summary>
    Task<ICentralVaultSession?> TryAdoptAsync(CentralVaultState previous, CancellationToken cancellationToken);

    /// <summary>Removes the container; false when there was none.</summary>
    Task<bool> RemoveAsync(CancellationToken cancellationToken);
}
