namespace MultiDcVault.Harness.Planning;

public enum ClusterRole
{
    /// <summary>The Raft bootstrap leader (raftLeaderAddress: self).</summary>
    Leader,

    /// <summary>Joins the leader through its LoadBalancer IP.</summary>
    Follower,
}
