using MultiDcVault.Harness.Faults;
using MultiDcVault.Harness.Infrastructure.Secrets;

namespace MultiDcVault.Harness.Health;

/// <summary>
/// The Raft observation of a set of datacenters, as the environment workflows (status, up) ask for it. The real one,
/// <see cref="VaultRaftProbe"/>, runs <see cref="RaftObserver"/> over <see cref="VaultEndpointProbe"/>.
/// </summary>
internal interface IRaftProbe
{
    /// <param name="rootToken">Needed for the Raft configuration and autopilot state; without it only sys/leader and health are read.</param>
    /// <param name="injectedFaults">Faults the harness has in place: a node they explain reads "unreachable (partitioned|paused)", not an error.</param>
    Task<RaftObservation> ObserveAsync(
        IReadOnlyList<DatacenterEndpoint> datacenters, SecretValue? rootToken, IReadOnlyList<InjectedFault> injectedFaults, CancellationToken cancellationToken);
}
