namespace MultiDcVault.Harness.Planning;

/// <summary>A cluster's part in forming the Raft cluster.</summary>
public enum ClusterRole
{
    /// <summary>The Raft bootstrap leader (raftLeaderAddress: self).</summary>
    Leader,

    /// <summary>Joins the leader through its LoadBalancer IP.</summary>
    Follower,
}
