namespace MultiDcVault.Harness.Faults;

/// <summary>Cuts one datacenter off from the others with iptables rules in its node containers (see <see cref="PartitionRules"/>).</summary>
internal sealed class PartitionFault : IFault
{
    private const string Hint =
        "The partition uses iptables inside the privileged kind node containers; check that the node " +
        "container is running (docker ps) and that 'iptables -w 10 -S' works in it (docker exec). " +
        "To remove leftover rules by hand: iptables -D INPUT/OUTPUT/FORWARD -j " + PartitionRules.ChainName +
        "; iptables -F " + PartitionRules.ChainName + "; iptables -X " + PartitionRules.ChainName + ".";

    private readonly INodeContainers _containers;
    private readonly FaultTopology _topology;

    public PartitionFault(INodeContainers containers, FaultTopology topology, string isolatedDatacenter)
    {
        ArgumentNullException.ThrowIfNull(containers);
        ArgumentNullException.ThrowIfNull(topology);
        topology.Validate();
        _ = topology.Datacenter(isolatedDatacenter);
        _containers = containers;
        _topology = topology;
        IsolatedDatacenter = isolatedDatacenter;
    }

    public string IsolatedDatacenter { get; }

    public string Description => $"partition({IsolatedDatacenter})";

    public string Mechanism => $"iptables chain {PartitionRules.ChainName} in the node containers of {IsolatedDatacenter}";

    public Task InjectAsync(CancellationToken cancellationToken) =>
        NodeCommandRunner.RunAsync(_containers, PartitionRules.InjectCommands(_topology, IsolatedDatacenter), Hint, cancellationToken);

    public Task HealAsync(CancellationToken cancellationToken) =>
        NodeCommandRunner.RunAllAsync(_containers, PartitionRules.HealCommands(_topology, IsolatedDatacenter), Hint, cancellationToken);
}
