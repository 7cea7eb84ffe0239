using MultiDcVault.Harness.Faults;

namespace MultiDcVault.Harness.Components.Kms;

/// <summary>
/// The KMS goes away: the central Vault container is stopped (its storage stays on its volume). Unsealed Vaults keep
/// serving; one that restarts meanwhile stays sealed until the heal starts the central Vault again and unseals it.
/// </summary>
internal sealed class KmsOutageFault(ICentralVaultSession centralVault) : IFault
{
    private bool _stopped;

    public string Description => "kms-outage";

    public string Mechanism => $"docker stop of the central Vault container {centralVault.ContainerName}";

    public async Task InjectAsync(CancellationToken cancellationToken)
    {
        _stopped = true;
        await centralVault.StopAsync(cancellationToken);
    }

    /// <summary>Starts and unseals the central Vault if this fault stopped it; a no-op otherwise.</summary>
    public async Task HealAsync(CancellationToken cancellationToken)
    {
        if (_stopped)
        {
            await centralVault.StartAgainAsync(cancellationToken);
            _stopped = false;
        }
    }
}
