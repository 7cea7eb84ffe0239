namespace MultiDcVault.Harness.Faults;

/// <summary>Adds a one-way netem delay to every node of the chosen datacenters (all of them by default). See <see cref="LatencyRules"/>.</summary>
internal sealed class LatencyFault : IFault
{
    private const string Hint =
        "The latency fault runs 'tc' inside the kind node containers. To remove it by hand: docker exec <node> tc qdisc del dev eth0 root.";

    /// <summary>One line: what is missing and the fix, for a kernel without netem.</summary>
    public const string NetemMissingMessage =
        "The Docker host's kernel has no sch_netem qdisc module, which the latency fault needs: run 'sudo modprobe sch_netem' on the Docker host " +
        "(on Ubuntu runners install it first with 'sudo apt-get install linux-modules-extra-$(uname -r)').";

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

    /// <summary>
    /// The first node's tc command doubles as the netem check: it runs before any other node is touched, and a
    /// kernel without sch_netem fails it with <see cref="NetemUnavailableException"/> (one line, with the fix).
    /// Reading /proc/modules first could not decide: the kernel autoloads the module on first use when it is
    /// installed, and a kernel with netem built in lists no module at all.
    /// </summary>
    public async Task InjectAsync(CancellationToken cancellationToken)
    {
        try
        {
            await NodeCommandRunner.RunAsync(_containers, LatencyRules.InjectCommands(_nodes, Delay, Jitter), Hint, cancellationToken);
        }
        catch (FaultCommandException ex) when (ex.Result is { } result && LatencyRules.IsNetemMissing(result))
        {
            // No inner exception on purpose: the CLI prints the causes too, and this must stay one line.
            var said = (string.IsNullOrWhiteSpace(result.StandardError) ? result.StandardOutput : result.StandardError).Trim().ReplaceLineEndings(" ");
            throw new NetemUnavailableException($"{NetemMissingMessage} (tc in {ex.Command!.Container} said: {said})");
        }
    }

    public Task HealAsync(CancellationToken cancellationToken) =>
        NodeCommandRunner.RunAllAsync(_containers, LatencyRules.HealCommands(_nodes), Hint, cancellationToken);
}

/// <summary>The kernel has no netem qdisc (module sch_netem neither loaded nor loadable).</summary>
internal sealed class NetemUnavailableException : Exception
{
    public NetemUnavailableException()
    {
    }

    public NetemUnavailableException(string message)
        : base(message)
    {
    }

    public NetemUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
