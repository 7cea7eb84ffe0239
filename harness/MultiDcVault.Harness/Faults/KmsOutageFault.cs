namespace MultiDcVault.Harness.Faults;

/// <summary>
/// The KMS goes away: the central Vault container is stopped (its storage stays on its volume). Unsealed Vaults keep
/// serving; one that restarts meanwhile stays sealed until the heal starts the central Vault again and unseals it.
/// A full heal undoes it too (the power-cycle kind starts a stopped central Vault first).
/// </summary>
internal sealed class KmsOutageFault(ICentralVaultPower centralVault) : IFault
{
    public string Description => "kms-outage";

    public string Mechanism => $"docker stop of the central Vault container {centralVault.ContainerName}";

    public Task InjectAsync(CancellationToken cancellationToken) => centralVault.StopAsync(cancellationToken);

    /// <summary>Starts and unseals the central Vault when it is stopped; a no-op when it runs.</summary>
    public Task HealAsync(CancellationToken cancellationToken) => centralVault.StartAsync(cancellationToken);
}
