using MultiDcVault.Harness.Infrastructure.Vault;

namespace MultiDcVault.Harness.Health;

/// <summary>A datacenter as the drills address it: its name and the LoadBalancer IP Vault advertises (leader_address, Raft address).</summary>
public sealed record DatacenterAddress(string Name, string LoadBalancerIp);

/// <summary>
/// The per-datacenter Vault API calls under <see cref="RaftObserver"/>, one Vault node per datacenter: a transport
/// only, it judges nothing. Implementations throw when a node does not answer (paused, partitioned, pod gone); the
/// observer turns that into "unreachable". The real one is <see cref="VaultEndpointProbe"/>.
/// </summary>
public interface IVaultNodeProbe
{
    /// <summary>The datacenters this probe talks to, one Vault node each; their count is the number of voters a healthy cluster has.</summary>
    IReadOnlyList<DatacenterAddress> Datacenters { get; }

    /// <summary>False without a root token: the Raft configuration and autopilot state need one, so they are not asked for.</summary>
    bool CanReadClusterState => true;

    /// <summary>GET sys/health (always-parseable query) on the datacenter's node.</summary>
    Task<VaultHealth> GetHealthAsync(string datacenter, CancellationToken cancellationToken);

    /// <summary>GET sys/leader on the datacenter's node.</summary>
    Task<VaultLeader> GetLeaderAsync(string datacenter, CancellationToken cancellationToken);

    /// <summary>GET sys/seal-status on the datacenter's node.</summary>
    Task<VaultSealStatus> GetSealStatusAsync(string datacenter, CancellationToken cancellationToken);

    /// <summary>GET sys/storage/raft/autopilot/state through the datacenter's node (null while autopilot starts).</summary>
    Task<AutopilotState?> GetAutopilotStateAsync(string datacenter, CancellationToken cancellationToken);

    /// <summary>GET sys/storage/raft/configuration through the datacenter's node.</summary>
    Task<RaftConfiguration> GetRaftConfigurationAsync(string datacenter, CancellationToken cancellationToken);
}

/// <summary>Sequential-writer counters in KV v2, written and read through one datacenter's endpoint.</summary>
public interface IKvCounterStore
{
    /// <summary>Writes <paramref name="counter"/> at <paramref name="key"/>; throws <see cref="VaultApiException"/> on an HTTP error, anything else when there was no answer.</summary>
    Task WriteCounterAsync(string datacenter, string key, long counter, CancellationToken cancellationToken);

    /// <summary>The counter stored at <paramref name="key"/>, or null when the key does not exist.</summary>
    Task<long?> ReadCounterAsync(string datacenter, string key, CancellationToken cancellationToken);
}
