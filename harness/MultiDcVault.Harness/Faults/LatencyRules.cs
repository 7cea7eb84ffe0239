using System.Globalization;

namespace MultiDcVault.Harness.Faults;

/// <summary>
/// The tc netem commands that add WAN latency, as pure data.
/// <para>
/// The delay is put on the egress of each node's interface on the shared Docker network, so
/// it applies to everything that node sends: inter-datacenter Raft and API traffic, but also
/// traffic to the host, the central Vault and other nodes of the same cluster. Applied to
/// every datacenter, a round trip between two datacenters gets the delay twice. kind node
/// images ship iproute2 (tc) and Debian's netem distribution tables. Jitter makes netem
/// reorder packets; TCP copes, it only costs throughput.
/// </para>
/// </summary>
internal static class LatencyRules
{
    /// <summary>Messages tc prints when there is no root qdisc of ours to delete.</summary>
    public static readonly IReadOnlyList<string> AlreadyAbsentErrors =
    [
        "Cannot delete qdisc with handle of zero",
        "No such file or directory",
        "Cannot find specified qdisc",
    ];

    /// <summary>
    /// What tc prints when the kernel has no netem qdisc: the kernel's extack message (torvalds/linux
    /// net/sched/sch_api.c qdisc_create: "Specified qdisc not found", reworded to "Specified qdisc kind is unknown"
    /// in 6.4), the bare ENOENT of kernels without extack, and the message of a tc built without netem support.
    /// </summary>
    public static readonly IReadOnlyList<string> NetemMissingErrors =
    [
        "Specified qdisc kind is unknown",
        "Specified qdisc not found",
        "RTNETLINK answers: No such file or directory",
        "Unknown qdisc",
    ];

    /// <summary>True when a failed inject command says netem is missing, rather than anything else (bad device, no permission).</summary>
    public static bool IsNetemMissing(NodeExecResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return !result.Succeeded && NetemMissingErrors.Any(e =>
            result.StandardError.Contains(e, StringComparison.OrdinalIgnoreCase) ||
            result.StandardOutput.Contains(e, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>"replace" makes injecting twice leave one netem qdisc.</summary>
    public static IReadOnlyList<NodeCommand> InjectCommands(IEnumerable<FaultNode> nodes, TimeSpan delay, TimeSpan jitter)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        Validate(delay, jitter);
        var netem = new List<string> { "delay", Milliseconds(delay) };
        if (jitter > TimeSpan.Zero)
        {
            netem.AddRange([Milliseconds(jitter), "distribution", "normal"]);
        }

        return [.. nodes.Select(node => NodeCommand.MustSucceed(
            node.ContainerName,
            ["tc", "qdisc", "replace", "dev", node.NetworkInterface, "root", "netem", .. netem]))];
    }

    public static IReadOnlyList<NodeCommand> HealCommands(IEnumerable<FaultNode> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        return [.. nodes.Select(node => NodeCommand.Tolerating(
            node.ContainerName,
            AlreadyAbsentErrors,
            ["tc", "qdisc", "del", "dev", node.NetworkInterface, "root"]))];
    }

    public static void Validate(TimeSpan delay, TimeSpan jitter)
    {
        if (delay < TimeSpan.FromMilliseconds(1) || delay > TimeSpan.FromSeconds(10))
        {
            throw new ArgumentOutOfRangeException(nameof(delay), delay, "The one-way delay must be between 1 ms and 10 s.");
        }

        if (jitter < TimeSpan.Zero || jitter > delay)
        {
            throw new ArgumentOutOfRangeException(nameof(jitter), jitter, "The jitter must be between 0 and the delay.");
        }
    }

    private static string Milliseconds(TimeSpan value) =>
        Math.Round(value.TotalMilliseconds, 3).ToString("0.###", CultureInfo.InvariantCulture) + "ms";
}
