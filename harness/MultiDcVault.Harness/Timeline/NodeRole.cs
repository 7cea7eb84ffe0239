namespace MultiDcVault.Harness.Timeline;

/// <summary>What one datacenter's Vault node was at one moment, as its own sys/health said (or did not say).</summary>
public enum NodeRole
{
    /// <summary>Unsealed and active: the node that takes writes.</summary>
    Leader,

    /// <summary>Unsealed standby: forwards requests to the active node.</summary>
    Follower,

    /// <summary>Answered, but sealed (or not initialised): serves nothing.</summary>
    Sealed,

    /// <summary>Did not answer (paused, partitioned, pod gone, stopped).</summary>
    Unreachable,
}
