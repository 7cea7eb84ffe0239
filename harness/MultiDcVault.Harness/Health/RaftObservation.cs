using System.Text.Json;
using MultiDcVault.Harness.Infrastructure.Vault;
using MultiDcVault.Harness.Verification;

namespace MultiDcVault.Harness.Health;

/// <summary>What a datacenter's Vault node is, as the observer saw it.</summary>
public enum RaftNodeRole
{
    /// <summary>Its node claims is_self (and is the newest claimant).</summary>
    Leader,

    /// <summary>Answered sys/leader as a standby (or an older claimant that has not noticed it lost).</summary>
    Follower,

    /// <summary>sys/health says sealed.</summary>
    Sealed,

    /// <summary>Did not answer sys/leader; the row's problem says why (the injected fault, else the raw error).</summary>
    Unreachable,
}

/// <summary>The datacenter hosting the active Vault node, and how sure we are.</summary>
/// <param name="Datacenter">Where the active node runs.</param>
/// <param name="Confirmed">True when that node itself answered is_self=true; false when only other nodes' leader_address names it.</param>
/// <param name="ActiveTime">The node's active_time (when it became active); null when not confirmed.</param>
/// <param name="Claimants">Every datacenter whose node claimed is_self (more than one: an old leader has not noticed yet).</param>
/// <param name="Observations">What every datacenter answered to sys/leader (Node = datacenter name).</param>
public sealed record LocatedLeader(
    string Datacenter,
    bool Confirmed,
    DateTimeOffset? ActiveTime,
    IReadOnlyList<string> Claimants,
    IReadOnlyList<NodeLeaderObservation> Observations);

/// <summary>
/// The Raft cluster as <see cref="RaftObserver"/> saw it at one moment: the verdict (<see cref="Health"/>), one row per
/// datacenter, the leader, and the raw answers and errors it was built from.
/// </summary>
public sealed record RaftObservation(RaftHealthSnapshot Health, IReadOnlyList<DatacenterStatus> Datacenters)
{
    /// <summary>What every datacenter answered to sys/leader, or why it did not.</summary>
    public IReadOnlyList<NodeLeaderObservation> Observations { get; init; } = [];

    /// <summary>The leader these answers point at; null when none claims it and none names a known leader address.</summary>
    public LocatedLeader? Leader { get; init; }

    /// <summary>Null while autopilot starts, when no node could be read through, or without a root token.</summary>
    public AutopilotState? Autopilot { get; init; }

    /// <summary>The Raft configuration read through <see cref="ReadThrough"/>; null when no node could be read through, or without a root token.</summary>
    public RaftConfiguration? Configuration { get; init; }

    /// <summary>The datacenter autopilot and the Raft configuration were read through (null: none answered).</summary>
    public string? ReadThrough { get; init; }

    /// <summary>Why autopilot and the Raft configuration could not be read through each node tried (redacted).</summary>
    public IReadOnlyList<string> ClusterErrors { get; init; } = [];

    /// <summary>When the observation was taken, by the observer's TimeProvider.</summary>
    public DateTimeOffset At { get; init; }

    /// <summary>The verdict of <see cref="Health"/>: true when the cluster has no problem.</summary>
    public bool Healthy => Health.Healthy;

    /// <summary>Autopilot state as JSON for the run report (redacted; "null" while autopilot starts).</summary>
    public AutopilotSnapshot ToAutopilotSnapshot(string label) =>
        AutopilotSnapshot.Create(label, At, JsonSerializer.Serialize(Autopilot, VaultJson.Options));

    /// <summary>The health line followed by what every node answered to sys/leader.</summary>
    public override string ToString() => $"{Health}; sys/leader: {RaftObserver.Describe(Observations)}";
}
