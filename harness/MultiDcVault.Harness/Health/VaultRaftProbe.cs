using MultiDcVault.Harness.Faults;
using MultiDcVault.Harness.Infrastructure.Secrets;

namespace MultiDcVault.Harness.Health;

/// <summary>
/// <see cref="IRaftProbe"/> over each datacenter's Vault API: a <see cref="RaftObserver"/> over a
/// <see cref="VaultEndpointProbe"/> built for the datacenters and root token of this call.
/// </summary>
internal sealed class VaultRaftProbe(TimeProvider timeProvider, TimeSpan requestTimeout) : IRaftProbe
{
    public async Task<RaftObservation> ObserveAsync(
        IReadOnlyList<DatacenterEndpoint> datacenters, SecretValue? rootToken, IReadOnlyList<InjectedFault> injectedFaults, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(datacenters);
        ArgumentNullException.ThrowIfNull(injectedFaults);
        using var probe = new VaultEndpointProbe(datacenters, rootToken, requestTimeout, timeProvider);
        return await new RaftObserver(probe, timeProvider).ObserveAsync(injectedFaults, cancellationToken);
    }
}
