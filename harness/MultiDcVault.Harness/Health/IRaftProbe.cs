using MultiDcVault.Harness.Faults;
using MultiDcVault.Harness.Infrastructure.Secrets;

namespace MultiDcVault.Harness.Health;

/// <summary>The Raft cluster as seen at one moment: the combined verdict and one row per datacenter.</summary>
public sealed record RaftObservation(RaftHealthSnapshot Health, IReadOnlyList<DatacenterStatus> Datacenters);

/// <summary>Reads Raft health through the Vault API of every datacenter. The real one is <see cref="VaultRaftProbe"/>.</summary>
public interface IRaftProbe
{
    /// <param name="rootToken">Needed for the Raft configuration and autopilot state; without it only sys/leader and health are read.</param>
    /// <param name="injectedFaults">Faults the harness has in place: a node they explain reads "unreachable (partitioned|paused)", not an error.</param>
    Task<RaftObservation> ObserveAsync(
        IReadOnlyList<DatacenterEndpoint> datacenters, SecretValue? rootToken, IReadOnlyList<InjectedFault> injectedFaults, CancellationToken cancellationToken);
}
