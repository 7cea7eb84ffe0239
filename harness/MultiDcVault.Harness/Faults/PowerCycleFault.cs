using System.Globalization;
using MultiDcVault.Harness.Infrastructure.Polling;

namespace MultiDcVault.Harness.Faults;

/// <summary>How long a power cycle gives things.</summary>
internal sealed record PowerCycleOptions
{
    /// <summary>
    /// docker stop's grace before SIGKILL. kind nodes stop on SIGRTMIN+3 (systemd halts) and kind sets no stop timeout of its own,
    /// so 10 s is what a plain `docker stop` gives them too.
    /// </summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long each datacenter's Vault Service gets to show an LB IP again: its API server starts again first.</summary>
    public TimeSpan LoadBalancerWait { get; init; } = TimeSpan.FromSeconds(120);

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);
}

/// <summary>
/// A power cut of the whole environment: every kind node container of every datacenter and the central Vault (the KMS) stopped at
/// once with docker stop (not pause: processes end, memory is lost, and Docker releases the containers' addresses), then started
/// again in a chosen order (<see cref="PowerCycleOrder"/>). kind's nodes have no fixed address, so Docker may hand them others on
/// start; <see cref="CheckAddressesAsync"/> says so in one line instead of leaving a scenario waiting for a Raft cluster that cannot
/// re-form. As an <see cref="IFault"/>, inject stops everything and heal starts whatever is stopped, central Vault first.
/// </summary>
internal sealed class PowerCycleFault : IPowerCycle
{
    private readonly INodeContainers _nodes;
    private readonly FaultTopology _topology;
    private readonly string _network;
    private readonly ICentralVaultPower _centralVault;
    private readonly ILoadBalancerAddresses _loadBalancers;
    private readonly TimeProvider _time;
    private readonly PowerCycleOptions _options;

    /// <param name="network">The shared Docker network the node addresses are read on.</param>
    /// <param name="loadBalancerIps">Each datacenter's LB IP before the cycle (the environment's datacenter endpoints), in plan order.</param>
    public PowerCycleFault(
        INodeContainers nodes,
        FaultTopology topology,
        string network,
        IReadOnlyList<LoadBalancerAddressRecord> loadBalancerIps,
        ICentralVaultPower centralVault,
        ILoadBalancerAddresses loadBalancers,
        TimeProvider timeProvider,
        PowerCycleOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentException.ThrowIfNullOrWhiteSpace(network);
        ArgumentNullException.ThrowIfNull(loadBalancerIps);
        ArgumentNullException.ThrowIfNull(centralVault);
        ArgumentNullException.ThrowIfNull(loadBalancers);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _nodes = nodes;
        _topology = topology;
        _network = network;
        _centralVault = centralVault;
        _loadBalancers = loadBalancers;
        _time = timeProvider;
        _options = options ?? new PowerCycleOptions();
        Before = new PowerAddressSnapshot(
            [.. topology.Datacenters.SelectMany(dc => dc.Nodes.Select(n => new NodeAddressRecord(dc.Name, n.ContainerName, n.IPv4Address, n.IPv6Address)))],
            loadBalancerIps);
    }

    public string Description => "power-cycle";

    public string Mechanism => string.Create(
        CultureInfo.InvariantCulture,
        $"docker stop (grace {_options.StopTimeout.TotalSeconds} s) of every node container and of {_centralVault.ContainerName} at once, then docker start in order");

    /// <summary>The addresses the environment had when it was attached: what <see cref="CheckAddressesAsync"/> compares with.</summary>
    public PowerAddressSnapshot Before { get; }

    /// <summary>The start order of <paramref name="variant"/> for this environment's datacenters.</summary>
    public IReadOnlyList<PowerTarget> Order(PowerCycleVariant variant) => PowerCycleOrder.For(variant, [.. _topology.Datacenters.Select(d => d.Name)]);

    public Task InjectAsync(CancellationToken cancellationToken) => StopAllAsync(cancellationToken);

    /// <summary>Starts whatever is stopped, central Vault first: the order in which every Vault finds its KMS.</summary>
    public async Task HealAsync(CancellationToken cancellationToken)
    {
        var failures = new List<Exception>();
        foreach (var target in Order(PowerCycleVariant.CentralFirst))
        {
            await CollectAsync(
                target.IsCentralVault ? StartCentralVaultAsync(cancellationToken) : StartStoppedNodesAsync(target.Datacenter!, cancellationToken),
                failures);
        }

        ThrowIfAny(failures, "Starting the environment again after a power cycle");
    }

    /// <summary>
    /// Stops every node container of every datacenter and the central Vault in parallel. Refuses before stopping anything when the
    /// central Vault has no fixed address (it could come back elsewhere); every stop is tried even when one fails.
    /// </summary>
    public async Task StopAllAsync(CancellationToken cancellationToken)
    {
        if (!_centralVault.FixedAddress)
        {
            throw new InvalidOperationException(
                $"Refusing a power cycle: the central Vault {_centralVault.ContainerName} has no fixed address on network {_network}, so a restart could move " +
                "it away from the address every seal stanza names. Let multidc create its network (or set MULTIDC_NETWORK_SUBNET).");
        }

        List<Task> stops =
        [
            .. _topology.Datacenters.SelectMany(dc => dc.Nodes.Select(node => Describe(
                () => _nodes.StopAsync(node.ContainerName, _options.StopTimeout, cancellationToken),
                $"Could not stop node container '{node.ContainerName}' of datacenter '{dc.Name}'",
                $"Run 'docker stop {node.ContainerName}' by hand."))),
            Describe(() => _centralVault.StopAsync(cancellationToken), $"Could not stop the central Vault {_centralVault.ContainerName}", $"Run 'docker stop {_centralVault.ContainerName}' by hand."),
        ];
        var failures = new List<Exception>();
        foreach (var stop in stops)
        {
            await CollectAsync(stop, failures);
        }

        ThrowIfAny(failures, "The power cycle's stop");
    }

    /// <summary>Starts <paramref name="variant"/>'s targets one after the other.</summary>
    public Task StartAsync(PowerCycleVariant variant, CancellationToken cancellationToken) => StartAsync(Order(variant), cancellationToken);

    /// <summary>
    /// Starts the targets one after the other, in the given order (a datacenter's nodes one after the other, in topology order, because
    /// Docker hands out addresses in the order containers start). Every target is tried even when one fails, so nothing stays off.
    /// </summary>
    public async Task StartAsync(IReadOnlyList<PowerTarget> order, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        var failures = new List<Exception>();
        foreach (var target in order)
        {
            await CollectAsync(
                target.IsCentralVault ? StartCentralVaultAsync(cancellationToken) : StartNodesAsync(_topology.Datacenter(target.Datacenter!), cancellationToken),
                failures);
        }

        ThrowIfAny(failures, "The power cycle's start");
    }

    /// <summary>Starts the datacenter's node containers that exist and are not running; the heal step of a power cycle left behind.</summary>
    public Task StartStoppedNodesAsync(string datacenter, CancellationToken cancellationToken) =>
        StartStoppedNodesAsync(_nodes, _topology.Datacenter(datacenter), _network, cancellationToken);

    /// <summary>Starts <paramref name="dc"/>'s node containers that exist and are not running (a paused one runs: unpausing is another heal's).</summary>
    public static async Task StartStoppedNodesAsync(INodeContainers nodes, FaultDatacenter dc, string network, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(dc);
        var failures = new List<Exception>();
        foreach (var node in dc.Nodes)
        {
            var state = await nodes.InspectAsync(node.ContainerName, network, cancellationToken);
            if (!state.Exists)
            {
                failures.Add(new InvalidOperationException(
                    $"Node container '{node.ContainerName}' of datacenter '{dc.Name}' does not exist, so it cannot be started; run 'multidc down' and 'multidc up'."));
            }
            else if (!state.Running)
            {
                await CollectAsync(StartNodeAsync(nodes, dc, node, cancellationToken), failures);
            }
        }

        ThrowIfAny(failures, $"Starting the node containers of datacenter '{dc.Name}'");
    }

    /// <summary>Starts the central Vault when it is stopped and unseals it (both idempotent).</summary>
    public Task StartCentralVaultAsync(CancellationToken cancellationToken) =>
        Describe(() => _centralVault.StartAsync(cancellationToken), $"Could not start the central Vault {_centralVault.ContainerName} again", $"Run 'docker start {_centralVault.ContainerName}' and 'multidc heal'.");

    /// <summary>
    /// Compares the addresses now with <see cref="Before"/>: node addresses from the engine at once, each LB IP from its datacenter's Vault
    /// Service, waiting at most <see cref="PowerCycleOptions.LoadBalancerWait"/> (in parallel) for one to be assigned, since an API server
    /// needs time after a restart. Never hangs: an LB IP not there in time is a drift ("none after N s").
    /// </summary>
    public async Task<PowerAddressCheck> CheckAddressesAsync(CancellationToken cancellationToken)
    {
        var drifts = new List<AddressDrift>();
        var compared = 0;
        foreach (var node in Before.Nodes)
        {
            var now = await _nodes.InspectAsync(node.Container, _network, cancellationToken);
            var why = !now.Exists ? "container gone" : !now.Running ? "not running" : null;
            foreach (var (before, after) in new[] { (node.IPv4Address, now.IPv4Address), (node.IPv6Address, now.IPv6Address) })
            {
                if (before is null)
                {
                    continue;
                }

                compared++;
                if (!string.Equals(before, after, StringComparison.OrdinalIgnoreCase))
                {
                    drifts.Add(new NodeAddressDrift(node.Container, before, after, why));
                }
            }
        }

        // After the node reads (quick, and a failing one must not leave LB polls running unobserved); the LB waits run in parallel.
        foreach (var drift in await Task.WhenAll(Before.LoadBalancers.Select(lb => CheckLoadBalancerAsync(lb, cancellationToken))))
        {
            if (drift is not null)
            {
                drifts.Add(drift);
            }
        }

        return new PowerAddressCheck(drifts, compared, Before.LoadBalancers.Count);
    }

    private async Task<AddressDrift?> CheckLoadBalancerAsync(LoadBalancerAddressRecord before, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var outcome = await Poll.RunAsync<string?>(
            async ct =>
            {
                try
                {
                    return await _loadBalancers.ReadAsync(before.Datacenter, ct);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    // The API server is not back yet (refused, 5xx, a request timeout): one more poll, not the end of the wait.
                    return null;
                }
            },
            ip => ip is not null,
            PollSchedule.For(_options.LoadBalancerWait, _options.PollInterval),
            _time,
            cancellationToken);
        if (!outcome.Done)
        {
            return new LoadBalancerDrift(before.Datacenter, before.Address, null, _options.LoadBalancerWait);
        }

        return string.Equals(outcome.Last, before.Address, StringComparison.OrdinalIgnoreCase)
            ? null
            : new LoadBalancerDrift(before.Datacenter, before.Address, outcome.Last, _time.GetElapsedTime(started));
    }

    private async Task StartNodesAsync(FaultDatacenter dc, CancellationToken cancellationToken)
    {
        var failures = new List<Exception>();
        foreach (var node in dc.Nodes)
        {
            await CollectAsync(StartNodeAsync(_nodes, dc, node, cancellationToken), failures);
        }

        ThrowIfAny(failures, $"Starting the node containers of datacenter '{dc.Name}'");
    }

    private static Task StartNodeAsync(INodeContainers nodes, FaultDatacenter dc, FaultNode node, CancellationToken cancellationToken) =>
        Describe(
            () => nodes.StartAsync(node.ContainerName, cancellationToken),
            $"Could not start node container '{node.ContainerName}' of datacenter '{dc.Name}'",
            $"Run 'docker start {node.ContainerName}' by hand.");

    /// <summary>
    /// Runs the operation, its failure as one line naming what failed and what to run; cancellation passes unchanged. A delegate, so
    /// an implementation that throws before returning a task fails this operation only, not the ones started after it.
    /// </summary>
    private static async Task Describe(Func<Task> operation, string what, string fix)
    {
        try
        {
            await operation();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new InvalidOperationException($"{what}: {ex.Message} {fix}", ex);
        }
    }

    private static async Task CollectAsync(Task operation, List<Exception> failures)
    {
        try
        {
            await operation;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            failures.Add(ex);
        }
    }

    private static void ThrowIfAny(List<Exception> failures, string what)
    {
        if (failures.Count == 1)
        {
            throw failures[0];
        }

        if (failures.Count > 1)
        {
            throw new AggregateException($"{what} failed {failures.Count} times: {string.Join(" | ", failures.Select(f => f.Message))}", failures);
        }
    }
}
