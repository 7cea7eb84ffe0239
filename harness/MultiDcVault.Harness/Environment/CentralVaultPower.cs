using MultiDcVault.Harness.Components.Kms;
using MultiDcVault.Harness.Faults;

namespace MultiDcVault.Harness.Environment;

/// <summary>The power cycle's <see cref="ICentralVaultPower"/> over the central Vault session (the faults do not see Components).</summary>
internal sealed class CentralVaultPower(ICentralVaultSession session) : ICentralVaultPower
{
    public string ContainerName => session.ContainerName;

    public bool FixedAddress => session.FixedAddress;

    public Task StopAsync(CancellationToken cancellationToken) => session.StopAsync(cancellationToken);

    /// <summary>StartAgain starts the container (docker start is a no-op on a running one) and unseals it when sealed, so it is safe to repeat.</summary>
    public Task StartAsync(CancellationToken cancellationToken) => session.StartAgainAsync(cancellationToken);
}
