namespace MultiDcVault.Harness.Faults;

/// <summary>Adds a one-way netem delay to every node of the chosen datacenters (all of them by default). See <see cref="LatencyRules"/>.</summary>
public sealed class LatencyFault : IFault
{
    private const string Hint =
        "The latency fault runs 'tc' inside the kind node containers. 'Specified qdisc kind is unknown' means the " +
        "host kernel lacks the netem module: run 'sudo modprobe sch_netem' on the Docker host (on Ubuntu install " +
        "linux-modules-extra-$(uname -r) first). To remove it by hand: docker exec <node> tc qdisc del dev eth0 root.";

    private readonly INodeContainers _containers;
    private readonly IReadOnlyList<FaultNode> _nodes;

    public LatencyFault(INodeContainers containers, FaultTopology topology, TimeSpan delay, TimeSpan jitter, IReadOnlyList<string>? datacenters = null)
    {
        ArgumentNullException.ThrowIfNull(containers);
        ArgumentNullException.ThrowIfNull(topology);
        LatencyRules.Validate(delay, jitter);
        var chosen = datacenters is null ? topology.Datacenters : [.. datacenters.Select(topology.Datacenter)];
        _containers = containers;
        _nodes = [.. chosen.SelectMany(d => d.Nodes)];
        Delay = delay;
        Jitter = jitter;
        Datacenters = [.. chosen.Select(d => d.Name)];
    }

    public TimeSpan Delay { get; }

    public TimeSpan Jitter { get; }

    public IReadOnlyList<string> Datacenters { get; }

    public string Description =>
        $"latency({Delay.TotalMilliseconds:0.###}ms±{Jitter.TotalMilliseconds:0.###}ms on {string.Join(",", Datacenters)})";

    public string Mechanism => "tc qdisc netem on each node's interface";

    public Task InjectAsync(CancellationToken cancellationToken) =>
        NodeCommandRunner.RunAsync(_containers, LatencyRules.InjectCommands(_nodes, Delay, Jitter), Hint, cancellationToken);

    public Task HealAsync(CancellationToken cancellationToken) =>
        NodeCommandRunner.RunAllAsync(_containers, LatencyRules.HealCommands(_nodes), Hint, cancellationToken);
}
