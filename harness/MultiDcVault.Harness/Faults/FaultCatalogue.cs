namespace MultiDcVault.Harness.Faults;

/// <summary>What a blind heal can reach: the node containers, the Vault pods, the central Vault and where they are.</summary>
/// <param name="Network">The shared Docker network the node containers are on.</param>
internal sealed record FaultHealContext(INodeContainers Nodes, IVaultPods Pods, FaultTopology Topology, string Namespace, string Network, ICentralVaultPower CentralVault);

/// <summary>One step of undoing a kind of fault; tolerates "already healed", so it can run any number of times.</summary>
internal sealed record HealAction(string Name, Func<CancellationToken, Task> RunAsync);

/// <summary>
/// One kind of fault the harness injects, and how to undo every instance of it from a process that did
/// not inject it (so it cannot know which are active).
/// </summary>
public sealed class FaultKind
{
    internal FaultKind(string name, string description, IReadOnlyList<Type> faults, Func<FaultHealContext, IEnumerable<HealAction>> healAll)
    {
        Name = name;
        Description = description;
        Faults = faults;
        HealAll = healAll;
    }

    /// <summary>The kind's short name, as reports and the CLI spell it (e.g. "partition").</summary>
    public string Name { get; }

    /// <summary>What the fault does to the environment, in a few words.</summary>
    public string Description { get; }

    /// <summary>The <see cref="IFault"/> types whose leftovers <see cref="HealAll"/> undoes.</summary>
    internal IReadOnlyList<Type> Faults { get; }

    internal Func<FaultHealContext, IEnumerable<HealAction>> HealAll { get; }
}

/// <summary>
/// Every kind of fault the harness can inject, in the order a full heal undoes them: `multidc heal` and
/// anything else that must leave no fault behind come from this list, so a new fault kind is healed by
/// registering it here.
/// </summary>
public static class FaultCatalogue
{
    private const string Hint = "Check that the kind node containers are running ('docker ps') and run 'multidc heal' again.";

    /// <summary>
    /// A power cycle left halfway (node containers or the central Vault stopped, e.g. the process died between stop and start). First: a
    /// stopped container takes no exec (the engine refuses it) and later heals exec; the central Vault before the nodes, so the Vaults that
    /// start find their KMS.
    /// </summary>
    public static FaultKind PowerCycle { get; } = new(
        "power-cycle",
        "every node container and the central Vault stopped (docker stop)",
        [typeof(PowerCycleFault), typeof(KmsOutageFault)],
        context => [
            new HealAction(
                $"central Vault {context.CentralVault.ContainerName} running and unsealed",
                ct => context.CentralVault.StartAsync(ct)),
            .. context.Topology.Datacenters.Select(dc => new HealAction(
                $"start stopped node containers of {dc.Name}",
                ct => PowerCycleFault.StartStoppedNodesAsync(context.Nodes, dc, context.Network, ct))),
        ]);

    /// <summary>A paused datacenter (all its node containers paused). Before every exec heal: exec into a paused container hangs, and later heals exec.</summary>
    public static FaultKind DatacenterOutage { get; } = new(
        "dc-outage",
        "every node container of a datacenter paused",
        [typeof(DatacenterOutageFault)],
        context => context.Topology.Datacenters.Select(dc => new HealAction(
            $"unpause {dc.Name}",
            ct => new DatacenterOutageFault(context.Nodes, context.Topology, dc.Name).HealAsync(ct))));

    /// <summary>A partitioned datacenter (iptables chain on its nodes).</summary>
    public static FaultKind Partition { get; } = new(
        "partition",
        "a datacenter cut off from the others by iptables rules on its nodes",
        [typeof(PartitionFault)],
        context => context.Topology.Datacenters.Select(dc => new HealAction(
            $"remove partition rules on {dc.Name}",
            ct => NodeCommandRunner.RunAllAsync(context.Nodes, PartitionRules.HealCommands(context.Topology, dc.Name), Hint, ct))));

    /// <summary>WAN latency (netem qdisc on node interfaces).</summary>
    public static FaultKind Latency { get; } = new(
        "latency",
        "netem delay on the nodes' interfaces",
        [typeof(LatencyFault)],
        context => [new HealAction(
            "remove latency (netem) on every node",
            ct => NodeCommandRunner.RunAllAsync(context.Nodes, LatencyRules.HealCommands(context.Topology.Datacenters.SelectMany(d => d.Nodes)), Hint, ct))]);

    /// <summary>
    /// A deleted Vault pod (pod loss, leader pod loss): its StatefulSet recreates it without help, so there is
    /// nothing to undo, only something to confirm.
    /// </summary>
    public static FaultKind PodLoss { get; } = new(
        "pod-loss",
        "a datacenter's Vault pod deleted",
        [typeof(LeaderPodLossFault)],
        context => context.Topology.Datacenters.Select(dc => new HealAction(
            $"pod {dc.VaultPod} exists",
            async ct =>
            {
                if (await context.Pods.GetAsync(dc.Name, context.Namespace, dc.VaultPod, ct) is null)
                {
                    throw new InvalidOperationException(
                        $"pod {dc.VaultPod} does not exist yet; its StatefulSet recreates it within seconds: " +
                        $"check 'kubectl get statefulset {dc.VaultStatefulSet} -n {context.Namespace}' and run 'multidc heal' again");
                }
            })));

    /// <summary>All kinds, in heal order.</summary>
    public static IReadOnlyList<FaultKind> All { get; } = [PowerCycle, DatacenterOutage, Partition, Latency, PodLoss];
}
