using System.Net.Sockets;

namespace MultiDcVault.Harness.Faults;

/// <summary>
/// The iptables commands that cut one datacenter off from the others, as pure data.
/// <para>
/// Where traffic is filtered, inside each node container of the isolated datacenter:
/// <list type="bullet">
/// <item>host-network processes (kubelet, hostNetwork pods): INPUT and OUTPUT;</item>
/// <item>pods run in their own network namespaces, so their traffic to another datacenter's
/// node or LoadBalancer IP is routed through the node: FORWARD, before kindnet masquerades
/// it in POSTROUTING (source is still the pod IP, destination the remote address);</item>
/// <item>another datacenter reaching our LoadBalancer IP is DNAT-ed to the pod by kube-proxy in
/// PREROUTING and then crosses FORWARD with the remote node IP as source (remote clusters
/// masquerade their pods' egress); replies leave through FORWARD towards that node IP.</item>
/// </list>
/// So one chain, jumped to at position 1 of INPUT, OUTPUT and FORWARD, matching remote node
/// IPs and pools as source or destination, covers every path. Pod CIDRs are never matched:
/// every kind cluster uses the same default pod subnet. The keep-reachable addresses (the
/// network gateway = the harness host, the central Vault) RETURN first so kube-proxy's own
/// rules still apply to them. Rules drop every packet, not only new connections, so
/// established Raft connections are cut too.
/// </para>
/// <para>
/// kind's node entrypoint points the plain <c>iptables</c>/<c>ip6tables</c> commands at the
/// backend (legacy or nft) the host uses, the same one kube-proxy uses, so the plain commands
/// are the right ones. <c>-w</c> waits for the xtables lock that kube-proxy holds often.
/// </para>
/// </summary>
internal static class PartitionRules
{
    public const string ChainName = "MULTIDC-PARTITION";

    public static readonly IReadOnlyList<string> HookedChains = ["INPUT", "OUTPUT", "FORWARD"];

    /// <summary>Messages iptables (legacy and nft backends) prints when a rule or chain is already gone.</summary>
    public static readonly IReadOnlyList<string> AlreadyAbsentErrors =
    [
        "No chain/target/match by that name",
        "does a matching rule exist",
        "Couldn't load target",
        "No such file or directory",
        "does not exist",
    ];

    private const string LockWaitSeconds = "10";

    /// <summary>
    /// Commands that isolate <paramref name="isolatedDatacenter"/>. They start with the heal
    /// commands so injecting twice, or after a crashed run, leaves exactly one set of rules.
    /// </summary>
    public static IReadOnlyList<NodeCommand> InjectCommands(FaultTopology topology, string isolatedDatacenter)
    {
        ArgumentNullException.ThrowIfNull(topology);
        topology.Validate();
        var isolated = topology.Datacenter(isolatedDatacenter);
        var blocked = BlockedTargets(topology, isolatedDatacenter);
        var keep = topology.KeepReachable.Select(AddressTarget.Parse).ToList();

        var commands = new List<NodeCommand>(HealCommands(topology, isolatedDatacenter));
        foreach (var node in isolated.Nodes)
        {
            foreach (var family in Families(topology, isolatedDatacenter))
            {
                var tool = Tool(family);
                commands.Add(Create(node, tool, "-N", ChainName));
                foreach (var target in keep.Where(t => t.Family == family))
                {
                    commands.Add(Create(node, tool, ["-A", ChainName, .. target.SourceMatch(), "-j", "RETURN"]));
                    commands.Add(Create(node, tool, ["-A", ChainName, .. target.DestinationMatch(), "-j", "RETURN"]));
                }

                foreach (var target in blocked.Where(t => t.Family == family))
                {
                    commands.Add(Create(node, tool, ["-A", ChainName, .. target.SourceMatch(), "-j", "DROP"]));
                    commands.Add(Create(node, tool, ["-A", ChainName, .. target.DestinationMatch(), "-j", "DROP"]));
                }

                // Hooks last: the chain is complete before any packet is sent through it.
                foreach (var hook in HookedChains)
                {
                    commands.Add(Create(node, tool, "-I", hook, "1", "-j", ChainName));
                }
            }
        }

        return commands;
    }

    /// <summary>
    /// Commands that remove exactly what <see cref="InjectCommands"/> adds: the jumps, then the
    /// chain (flush, delete). Each tolerates "already gone", so healing twice or without an
    /// inject is harmless.
    /// </summary>
    public static IReadOnlyList<NodeCommand> HealCommands(FaultTopology topology, string isolatedDatacenter)
    {
        ArgumentNullException.ThrowIfNull(topology);
        var isolated = topology.Datacenter(isolatedDatacenter);
        var commands = new List<NodeCommand>();
        foreach (var node in isolated.Nodes)
        {
            foreach (var family in Families(topology, isolatedDatacenter))
            {
                var tool = Tool(family);
                foreach (var hook in HookedChains)
                {
                    commands.Add(Remove(node, tool, "-D", hook, "-j", ChainName));
                }

                commands.Add(Remove(node, tool, "-F", ChainName));
                commands.Add(Remove(node, tool, "-X", ChainName));
            }
        }

        return commands;
    }

    /// <summary>Other datacenters' node addresses and LoadBalancer pools, in topology order.</summary>
    public static IReadOnlyList<AddressTarget> BlockedTargets(FaultTopology topology, string isolatedDatacenter)
    {
        ArgumentNullException.ThrowIfNull(topology);
        var targets = new List<AddressTarget>();
        foreach (var other in topology.Others(isolatedDatacenter))
        {
            foreach (var node in other.Nodes)
            {
                if (node.IPv4Address is not null)
                {
                    targets.Add(AddressTarget.Parse(node.IPv4Address));
                }

                if (node.IPv6Address is not null)
                {
                    targets.Add(AddressTarget.Parse(node.IPv6Address));
                }
            }

            targets.AddRange(other.LoadBalancerPools.Select(AddressTarget.Parse));
        }

        return targets;
    }

    /// <summary>IPv4 always when anything is IPv4; IPv6 (ip6tables) only when there is something IPv6 to block.</summary>
    private static IEnumerable<AddressFamily> Families(FaultTopology topology, string isolatedDatacenter)
    {
        var blocked = BlockedTargets(topology, isolatedDatacenter);
        if (blocked.Any(t => t.Family == AddressFamily.InterNetwork))
        {
            yield return AddressFamily.InterNetwork;
        }

        if (blocked.Any(t => t.Family == AddressFamily.InterNetworkV6))
        {
            yield return AddressFamily.InterNetworkV6;
        }
    }

    private static string Tool(AddressFamily family) =>
        family == AddressFamily.InterNetworkV6 ? "ip6tables" : "iptables";

    private static NodeCommand Create(FaultNode node, string tool, params IReadOnlyList<string> arguments) =>
        NodeCommand.MustSucceed(node.ContainerName, [tool, "-w", LockWaitSeconds, .. arguments]);

    private static NodeCommand Remove(FaultNode node, string tool, params IReadOnlyList<string> arguments) =>
        NodeCommand.Tolerating(node.ContainerName, AlreadyAbsentErrors, [tool, "-w", LockWaitSeconds, .. arguments]);
}
