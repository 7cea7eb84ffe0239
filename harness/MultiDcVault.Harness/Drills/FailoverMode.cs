using MultiDcVault.Harness.Faults;
using MultiDcVault.Harness.Orchestration;

namespace MultiDcVault.Harness.Drills;

/// <summary>How the drill takes the leader away.</summary>
public enum FailoverMode
{
    /// <summary>Scale the leader's Vault StatefulSet to 0 (<see cref="LeaderPodLossFault"/>).</summary>
    Scale,

    /// <summary>docker pause every node of the leader's datacenter (<see cref="DatacenterOutageFault"/>).</summary>
    Pause,

    /// <summary>Cut the leader's datacenter off from the others with iptables (<see cref="PartitionFault"/>).</summary>
    Partition,
}

/// <summary>Builds the fault of a <see cref="FailoverMode"/> for a running environment.</summary>
public static class DrillFaults
{
    public static IFault Create(EnvironmentHandle handle, FailoverMode mode, string leaderDatacenter)
    {
        ArgumentNullException.ThrowIfNull(handle);
        return mode switch
        {
            FailoverMode.Scale => new LeaderPodLossFault(handle.StatefulSetScaler, handle.FaultTopology, leaderDatacenter, handle.Plan.Options.Namespace),
            FailoverMode.Pause => new DatacenterOutageFault(handle.NodeContainers, handle.FaultTopology, leaderDatacenter),
            FailoverMode.Partition => new PartitionFault(handle.NodeContainers, handle.FaultTopology, leaderDatacenter),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Use scale, pause or partition."),
        };
    }

    /// <summary>Parses "scale", "pause" or "partition" (case-insensitive).</summary>
    public static FailoverMode ParseMode(string text) =>
        Enum.TryParse<FailoverMode>(text, ignoreCase: true, out var mode) && Enum.IsDefined(mode)
            ? mode
            : throw new ArgumentException($"Unknown failover mode '{text}': use scale, pause or partition.", nameof(text));
}
