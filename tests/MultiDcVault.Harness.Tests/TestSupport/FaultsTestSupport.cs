using MultiDcVault.Harness.Faults;

namespace MultiDcVault.Harness.Tests.TestSupport;

/// <summary>
/// Node containers that behave like kind nodes for the commands the faults run: a small iptables
/// (chains, -N/-A/-I/-D/-F/-X with the real error texts) and tc root qdisc model per container and
/// family, plus docker pause and stop state and each container's addresses. Every call is recorded.
/// </summary>
internal sealed class SimulatedNodeContainers : INodeContainers
{
    private static readonly string[] BuiltInChains = ["INPUT", "OUTPUT", "FORWARD"];

    private readonly Dictionary<(string Container, string Tool), Dictionary<string, List<string>>> _tables = [];
    private readonly Dictionary<(string Container, string Device), string> _rootQdiscs = [];
    private readonly HashSet<string> _paused = [];
    private readonly HashSet<string> _stopped = [];

    public List<(string Container, IReadOnlyList<string> Command)> Execs { get; } = [];

    public List<string> Operations { get; } = [];

    /// <summary>When set, a command whose joined text contains the key fails with the value as stderr.</summary>
    public Dictionary<string, string> FailWhenCommandContains { get; } = [];

    /// <summary>Containers whose pause or unpause throws, like an engine error.</summary>
    public HashSet<string> BrokenContainers { get; } = [];

    /// <summary>Rules already present before any fault (kube-proxy's, kindnet's), to check they survive.</summary>
    public void SeedRule(string container, string tool, string chain, string rule) => Chains(container, tool)[chain].Add(rule);

    public IReadOnlyList<string> Rules(string container, string tool, string chain) =>
        Chains(container, tool).TryGetValue(chain, out var rules) ? rules : [];

    public bool ChainExists(string container, string tool, string chain) => Chains(container, tool).ContainsKey(chain);

    public string? RootQdisc(string container, string device) => _rootQdiscs.GetValueOrDefault((container, device));

    public bool IsPaused(string container) => _paused.Contains(container);

    public bool IsStopped(string container) => _stopped.Contains(container);

    /// <summary>A running container's addresses on the network (what docker inspect shows); a stopped one shows none.</summary>
    public Dictionary<string, (string? IPv4, string? IPv6)> Addresses { get; } = [];

    /// <summary>Containers that do not exist (inspect finds nothing, start fails like the engine's 404).</summary>
    public HashSet<string> MissingContainers { get; } = [];

    /// <summary>The network inspect was last asked about.</summary>
    public string? InspectedNetwork { get; private set; }

    public void MarkStopped(string container) => _stopped.Add(container);

    public Task StopAsync(string container, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Operations.Add($"stop {container}");
        if (BrokenContainers.Contains(container))
        {
            throw new InvalidOperationException($"Container {container} is broken");
        }

        _stopped.Add(container);
        _paused.Remove(container);
        return Task.CompletedTask;
    }

    public Task StartAsync(string container, CancellationToken cancellationToken)
    {
        Operations.Add($"start {container}");
        if (BrokenContainers.Contains(container) || MissingContainers.Contains(container))
        {
            throw new InvalidOperationException($"No such container: {container}");
        }

        _stopped.Remove(container);
        return Task.CompletedTask;
    }

    public Task<NodeContainerState> InspectAsync(string container, string network, CancellationToken cancellationToken)
    {
        InspectedNetwork = network;
        if (MissingContainers.Contains(container))
        {
            return Task.FromResult(NodeContainerState.Missing);
        }

        var running = !_stopped.Contains(container);
        var (ipv4, ipv6) = running ? Addresses.GetValueOrDefault(container) : default;
        return Task.FromResult(new NodeContainerState(true, running, _paused.Contains(container), ipv4, ipv6));
    }

    public Task<NodeExecResult> ExecAsync(string container, IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Execs.Add((container, command));
        Operations.Add($"exec {container}: {string.Join(' ', command)}");
        var joined = string.Join(' ', command);
        foreach (var (fragment, error) in FailWhenCommandContains)
        {
            if (joined.Contains(fragment, StringComparison.Ordinal))
            {
                return Task.FromResult(new NodeExecResult(1, string.Empty, error));
            }
        }

        return Task.FromResult(command[0] switch
        {
            "iptables" or "ip6tables" => Iptables(container, command),
            "tc" => Tc(container, command),
            _ => new NodeExecResult(127, string.Empty, $"exec: \"{command[0]}\": executable file not found in $PATH"),
        });
    }

    public Task PauseAsync(string container, CancellationToken cancellationToken)
    {
        Operations.Add($"pause {container}");
        if (BrokenContainers.Contains(container) || !_paused.Add(container))
        {
            throw new InvalidOperationException($"Container {container} is already paused or broken");
        }

        return Task.CompletedTask;
    }

    public Task UnpauseAsync(string container, CancellationToken cancellationToken)
    {
        Operations.Add($"unpause {container}");
        if (BrokenContainers.Contains(container) || !_paused.Remove(container))
        {
            throw new InvalidOperationException($"Container {container} is not paused or broken");
        }

        return Task.CompletedTask;
    }

    public Task<bool> IsPausedAsync(string container, CancellationToken cancellationToken) => Task.FromResult(_paused.Contains(container));

    private Dictionary<string, List<string>> Chains(string container, string tool)
    {
        if (!_tables.TryGetValue((container, tool), out var chains))
        {
            chains = BuiltInChains.ToDictionary(c => c, _ => new List<string>());
            _tables[(container, tool)] = chains;
        }

        return chains;
    }

    private NodeExecResult Iptables(string container, IReadOnlyList<string> command)
    {
        var tool = command[0];
        var args = command.Skip(1).ToList();
        if (args is ["-w", _, ..])
        {
            args = args.Skip(2).ToList();
        }

        var chains = Chains(container, tool);
        if (args is ["-S"])
        {
            // iptables -S: policies of the built-in chains, then "-N" per user chain, then every rule as "-A chain ...".
            var listing = BuiltInChains.Select(c => $"-P {c} ACCEPT")
                .Concat(chains.Keys.Where(c => !BuiltInChains.Contains(c)).Select(c => $"-N {c}"))
                .Concat(chains.SelectMany(c => c.Value.Select(rule => $"-A {c.Key} {rule}")));
            return new NodeExecResult(0, string.Join('\n', listing) + "\n", string.Empty);
        }

        var noChain = new NodeExecResult(1, string.Empty, $"{tool}: No chain/target/match by that name.");
        var chain = args[1];
        switch (args[0])
        {
            case "-N":
                if (chains.ContainsKey(chain))
                {
                    return new NodeExecResult(1, string.Empty, $"{tool}: Chain already exists.");
                }

                chains[chain] = [];
                return Ok();
            case "-A" or "-I":
                if (!chains.TryGetValue(chain, out var rules))
                {
                    return noChain;
                }

                var ruleArgs = args[0] == "-I" ? args.Skip(3) : args.Skip(2);
                var rule = string.Join(' ', ruleArgs);
                if (rule.StartsWith("-j ", StringComparison.Ordinal) && !chains.ContainsKey(rule[3..]) && rule[3..] is not ("DROP" or "RETURN" or "ACCEPT"))
                {
                    return CouldNotLoad(tool, rule[3..]);
                }

                if (args[0] == "-I")
                {
                    rules.Insert(int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) - 1, rule);
                }
                else
                {
                    rules.Add(rule);
                }

                return Ok();
            case "-D":
                var target = string.Join(' ', args.Skip(2));
                if (target.StartsWith("-j ", StringComparison.Ordinal) && !chains.ContainsKey(target[3..]))
                {
                    return CouldNotLoad(tool, target[3..]);
                }

                return chains.TryGetValue(chain, out var existing) && existing.Remove(target)
                    ? Ok()
                    : new NodeExecResult(1, string.Empty, $"{tool}: Bad rule (does a matching rule exist in that chain?).");
            case "-F":
                if (!chains.TryGetValue(chain, out var flushed))
                {
                    return noChain;
                }

                flushed.Clear();
                return Ok();
            case "-X":
                if (!chains.TryGetValue(chain, out var deleted))
                {
                    return noChain;
                }

                if (chains.Values.Any(r => r.Contains($"-j {chain}")))
                {
                    return new NodeExecResult(1, string.Empty, $"{tool} v1.8.9 (legacy): CHAIN_USER_DEL failed (Too many links): chain {chain}");
                }

                if (deleted.Count > 0)
                {
                    return new NodeExecResult(1, string.Empty, $"{tool} v1.8.9 (legacy): CHAIN_USER_DEL failed (Directory not empty): chain {chain}");
                }

                chains.Remove(chain);
                return Ok();
            default:
                return new NodeExecResult(2, string.Empty, $"{tool}: unknown option {args[0]}");
        }
    }

    private NodeExecResult Tc(string container, IReadOnlyList<string> command)
    {
        // tc qdisc (replace|del) dev <dev> root [netem ...]
        var device = command[4];
        switch (command[2])
        {
            case "replace":
                _rootQdiscs[(container, device)] = string.Join(' ', command.Skip(6));
                return Ok();
            case "del":
                return _rootQdiscs.Remove((container, device))
                    ? Ok()
                    : new NodeExecResult(2, string.Empty, "Error: Cannot delete qdisc with handle of zero.");
            default:
                return new NodeExecResult(1, string.Empty, "Command line is not complete. Try option \"help\"");
        }
    }

    private static NodeExecResult Ok() => new(0, string.Empty, string.Empty);

    private static NodeExecResult CouldNotLoad(string tool, string target) =>
        new(2, string.Empty, $"{tool} v1.8.9 (legacy): Couldn't load target `{target}':No such file or directory");
}

/// <summary>
/// Vault pods as the StatefulSet controller treats them: a delete makes the pod terminate, then a replacement
/// with a new UID appears after <see cref="RecreateAfterPolls"/> reads and turns Ready after <see cref="ReadyAfterPolls"/> more.
/// </summary>
internal sealed class SimulatedVaultPods : IVaultPods
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (VaultPodState? Pod, int PollsSinceDelete, bool Deleted)> _pods = new(StringComparer.Ordinal);
    private int _uids;

    public List<string> Calls { get; } = [];

    public int RecreateAfterPolls { get; init; } = 2;

    public int ReadyAfterPolls { get; init; } = 2;

    /// <summary>Never recreate: the StatefulSet is broken.</summary>
    public bool NeverRecreate { get; init; }

    /// <summary>Every read after the delete fails with this (credentials revoked, TLS broken).</summary>
    public Exception? ReadFailureAfterDelete { get; init; }

    public void Seed(string cluster, string pod, bool ready = true)
    {
        lock (_gate)
        {
            _pods[$"{cluster}/{pod}"] = (new VaultPodState($"uid-{++_uids}", ready, false), 0, false);
        }
    }

    public Task<VaultPodState?> GetAsync(string clusterName, string @namespace, string pod, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Calls.Add($"get {clusterName}/{@namespace}/{pod}");
            var key = $"{clusterName}/{pod}";
            if (!_pods.TryGetValue(key, out var entry))
            {
                return Task.FromResult<VaultPodState?>(null);
            }

            if (!entry.Deleted)
            {
                return Task.FromResult(entry.Pod);
            }

            if (ReadFailureAfterDelete is { } failure)
            {
                return Task.FromException<VaultPodState?>(failure);
            }

            var polls = entry.PollsSinceDelete + 1;
            VaultPodState? state = NeverRecreate || polls < RecreateAfterPolls
                ? null
                : new VaultPodState($"uid-replacement-of-{entry.Pod!.Uid}", polls >= RecreateAfterPolls + ReadyAfterPolls, false);
            _pods[key] = (entry.Pod, polls, true);
            return Task.FromResult(state);
        }
    }

    public Task DeleteAsync(string clusterName, string @namespace, string pod, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Calls.Add($"delete {clusterName}/{@namespace}/{pod}");
            var key = $"{clusterName}/{pod}";
            if (_pods.TryGetValue(key, out var entry))
            {
                _pods[key] = (entry.Pod, 0, true);
            }

            return Task.CompletedTask;
        }
    }
}

/// <summary>A fault that records calls and can be told to fail.</summary>
internal sealed class RecordingFault : IFault
{
    public List<string> Calls { get; } = [];

    public bool FailInject { get; init; }

    public bool FailHeal { get; init; }

    public List<bool> HealTokenWasCancelled { get; } = [];

    public string Description => "recording";

    public string Mechanism => "recorded calls";

    public Task InjectAsync(CancellationToken cancellationToken)
    {
        Calls.Add("inject");
        return FailInject ? throw new InvalidOperationException("inject broke halfway") : Task.CompletedTask;
    }

    public Task HealAsync(CancellationToken cancellationToken)
    {
        Calls.Add("heal");
        HealTokenWasCancelled.Add(cancellationToken.IsCancellationRequested);
        return FailHeal ? throw new InvalidOperationException("heal broke") : Task.CompletedTask;
    }
}

internal static class FaultTopologies
{
    /// <summary>Three datacenters as kind creates them on a 172.18.0.0/16 network with MetalLB pools at the top.</summary>
    public static FaultTopology ThreeDatacenters(bool dualStack = false) => new(
        [
            new FaultDatacenter(
                "primary",
                [new FaultNode("primary-control-plane", "172.18.0.2", dualStack ? "fc00:f853:ccd:e793::2" : null)],
                dualStack ? ["172.18.255.200-172.18.255.207", "fc00:f853:ccd:e793::ff00-fc00:f853:ccd:e793::ff07"] : ["172.18.255.200-172.18.255.207"]),
            new FaultDatacenter(
                "secondary",
                [
                    new FaultNode("secondary-control-plane", "172.18.0.3", dualStack ? "fc00:f853:ccd:e793::3" : null),
                    new FaultNode("secondary-worker", "172.18.0.4", dualStack ? "fc00:f853:ccd:e793::4" : null),
                ],
                ["172.18.255.208/29"]),
            new FaultDatacenter(
                "tertiary",
                [new FaultNode("tertiary-control-plane", "172.18.0.5", dualStack ? "fc00:f853:ccd:e793::5" : null)],
                ["172.18.255.216-172.18.255.223"]),
        ],
        dualStack ? ["172.18.0.1", "fc00:f853:ccd:e793::1"] : ["172.18.0.1"]);
}

/// <summary>A central Vault's power switch that logs into a shared list, so tests see its place among the node operations.</summary>
internal sealed class RecordingCentralVaultPower(List<string> log, bool fixedAddress = true) : ICentralVaultPower
{
    public string ContainerName => "multidc-test-central-vault";

    public bool FixedAddress => fixedAddress;

    public bool Running { get; private set; } = true;

    /// <summary>When set, start fails with it (after logging).</summary>
    public Exception? StartFailure { get; set; }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        log.Add("stop central");
        Running = false;
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        log.Add("start central");
        if (StartFailure is { } failure)
        {
            return Task.FromException(failure);
        }

        Running = true;
        return Task.CompletedTask;
    }
}

/// <summary>LB IPs as each datacenter's API server reports them; a datacenter in <see cref="Unreachable"/> fails like an API server that is down.</summary>
internal sealed class ScriptedLoadBalancers(IReadOnlyDictionary<string, string?> current) : ILoadBalancerAddresses
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string?> _current = new(current);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _reads = new();

    public HashSet<string> Unreachable { get; } = [];

    public void Set(string datacenter, string? ip) => _current[datacenter] = ip;

    public int Reads(string datacenter) => _reads.GetValueOrDefault(datacenter);

    public Task<string?> ReadAsync(string datacenter, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _reads.AddOrUpdate(datacenter, 1, (_, n) => n + 1);
        return Unreachable.Contains(datacenter)
            ? Task.FromException<string?>(new HttpRequestException("Connection refused (127.0.0.1:6443)"))
            : Task.FromResult(_current.GetValueOrDefault(datacenter));
    }
}
