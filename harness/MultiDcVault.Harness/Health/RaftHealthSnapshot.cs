using MultiDcVault.Harness.Faults;
using MultiDcVault.Harness.Infrastructure.Vault;

namespace MultiDcVault.Harness.Health;

/// <summary>What one node answered to GET /v1/sys/leader, or why it did not.</summary>
public sealed record NodeLeaderObservation(string Node, VaultLeader? Leader, string? Error = null)
{
    /// <summary>The fault the harness put in place here, when the node did not answer because of it.</summary>
    public InjectedFault? Fault { get; init; }

    /// <summary>A node that did not answer sys/leader; <paramref name="error"/> says why.</summary>
    public static NodeLeaderObservation Unreachable(string node, string error) => new(node, null, error);

    /// <summary>Did not answer, and a fault the harness injected explains why: the error is its advice.</summary>
    public static NodeLeaderObservation Injected(InjectedFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        return new(fault.Datacenter, null, fault.Advice) { Fault = fault };
    }
}

/// <summary>The Raft cluster's health at one moment, combined from autopilot, the Raft configuration and every node's sys/leader.</summary>
public sealed record RaftHealthSnapshot
{
    /// <summary>False while autopilot has no state yet (empty answer right after election).</summary>
    public required bool AutopilotReady { get; init; }

    /// <summary>Autopilot's verdict on the whole cluster; false while autopilot has no state.</summary>
    public required bool AutopilotHealthy { get; init; }

    /// <summary>How many voters autopilot says may fail without losing quorum; 0 while autopilot has no state.</summary>
    public required int FailureTolerance { get; init; }

    /// <summary>Voters counted by autopilot, else by the Raft configuration; 0 when neither could be read.</summary>
    public required int VoterCount { get; init; }

    /// <summary>Voters a healthy cluster has: one per datacenter.</summary>
    public required int ExpectedVoters { get; init; }

    /// <summary>Raft node_id of the leader (autopilot's, else the Raft configuration's).</summary>
    public string? LeaderId { get; init; }

    /// <summary>The observed node that claims to be active; with several claims, the newest active_time.</summary>
    public string? ActiveNode { get; init; }

    /// <summary>API address of the leader as the nodes report it.</summary>
    public string? LeaderAddress { get; init; }

    /// <summary>Every reachable node names the same leader address and at most one claims to be active.</summary>
    public required bool LeaderAgreed { get; init; }

    /// <summary>Names of the servers autopilot reports unhealthy, sorted; empty while autopilot has no state.</summary>
    public IReadOnlyList<string> UnhealthyServers { get; init; } = [];

    /// <summary>Human-readable reasons the cluster is not healthy; empty when it is.</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];

    /// <summary>True when nothing is wrong (<see cref="Problems"/> is empty).</summary>
    public bool Healthy => Problems.Count == 0;

    /// <summary>One line for logs and timeout messages: voters, leader, failure tolerance, autopilot, leader agreement and the problems.</summary>
    public override string ToString() =>
        $"voters {VoterCount}/{ExpectedVoters}, leader {LeaderId ?? "none"} ({LeaderAddress ?? "no address"}), " +
        $"failure tolerance {FailureTolerance}, autopilot {(AutopilotReady ? (AutopilotHealthy ? "healthy" : "unhealthy") : "not ready")}, " +
        $"leader {(LeaderAgreed ? "agreed" : "disputed")}" +
        (Problems.Count == 0 ? string.Empty : ": " + string.Join("; ", Problems));
}
