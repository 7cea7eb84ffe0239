using MultiDcVault.Harness.Environment;
using MultiDcVault.Harness.Faults;

namespace MultiDcVault.Harness.Drills;

/// <summary>How the drill takes the leader away.</summary>
public enum FailoverMode
{
    /// <summary>Delete the leader's Vault pod; the StatefulSet recreates it (<see cref="LeaderPodLossFault"/>).</summary>
    PodLoss,

    /// <summary>docker pause every node of the leader's datacenter (<see cref="DatacenterOutageFault"/>).</summary>
    Pause,

    /// <summary>Cut the leader's datacenter off from the others with iptables (<see cref="PartitionFault"/>).</summary>
    Partition,
}

/// <summary>Builds the fault of a <see cref="FailoverMode"/> for a running environment.</summary>
internal static class DrillFaults
{
    /// <summary>The CLI spelling of each mode, in the order help lists them.</summary>
    public static IReadOnlyList<string> ModeNames { get; } = ["pod-loss", "pause", "partition"];

    public static IFault Create(EnvironmentHandle handle, FailoverMode mode, string leaderDatacenter)
    {
        ArgumentNullException.ThrowIfNull(handle);
        return mode switch
        {
            FailoverMode.PodLoss => handle.Faults.PodLoss(leaderDatacenter),
            FailoverMode.Pause => handle.Faults.DatacenterOutage(leaderDatacenter),
            FailoverMode.Partition => handle.Faults.Partition(leaderDatacenter),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, UseOneOf),
        };
    }

    /// <summary>Parses a name of <see cref="ModeNames"/> (case-insensitive).</summary>
    public static FailoverMode ParseMode(string text)
    {
        var index = ModeNames.ToList().IndexOf(text?.Trim().ToLowerInvariant() ?? string.Empty);
        return index >= 0 ? (FailoverMode)index : throw new ArgumentException($"Unknown failover mode '{text}': {UseOneOf}", nameof(text));
    }

    /// <summary>Why the old leader's node does not answer while the fault of <paramref name="mode"/> is in place.</summary>
    public static string UnreachableReason(FailoverMode mode) => mode switch
    {
        FailoverMode.PodLoss => "pod deleted",
        FailoverMode.Pause => "paused",
        FailoverMode.Partition => "partitioned",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, UseOneOf),
    };

    private static string UseOneOf => $"use {string.Join(", ", ModeNames)}.";

    /// <summary>The CLI spelling of <paramref name="mode"/> (ModeNames is in the enum's order).</summary>
    public static string Name(FailoverMode mode) => ModeNames[(int)mode];
}
