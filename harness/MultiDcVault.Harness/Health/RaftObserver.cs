using System.Net;
using MultiDcVault.Harness.Faults;
using MultiDcVault.Harness.Infrastructure.Polling;
using MultiDcVault.Harness.Infrastructure.Secrets;
using MultiDcVault.Harness.Infrastructure.Vault;
using MultiDcVault.Harness.Planning;

namespace MultiDcVault.Harness.Health;

/// <summary>
/// The one reader of Raft state for a set of datacenters (status, up, the drills, the E2E fixture's health checks):
/// every node's sys/health and sys/leader in parallel, then autopilot state and the Raft configuration through the
/// leader (else any node that answered: standbys forward to the active node), judged by <see cref="RaftHealthEvaluator"/>.
/// <para>
/// Finding the leader: during a partition an old leader can still claim is_self until it notices it lost its quorum,
/// so among several claims the newest active_time wins. When no node claims it (the active node is unreachable from
/// here), the leader_address the others report is mapped back to a datacenter by its LoadBalancer IP, and the answer
/// is marked unconfirmed.
/// </para>
/// </summary>
public sealed class RaftObserver
{
    private readonly IVaultNodeProbe _probe;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _gate = new();
    private IReadOnlyDictionary<string, string> _expectedUnreachable = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>An observer of the datacenters of <paramref name="probe"/>.</summary>
    /// <param name="timeProvider">Clock of observation times and polling; null uses the system clock.</param>
    /// <param name="pollInterval">Pause between readings while waiting; null means 500 ms.</param>
    public RaftObserver(IVaultNodeProbe probe, TimeProvider? timeProvider = null, TimeSpan? pollInterval = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        _probe = probe;
        _timeProvider = timeProvider ?? TimeProvider.System;
        PollInterval = pollInterval ?? TimeSpan.FromMilliseconds(500);
    }

    /// <summary>Pause between readings in the wait methods.</summary>
    public TimeSpan PollInterval { get; }

    /// <summary>Every datacenter hosts one voter.</summary>
    public int ExpectedVoters => _probe.Datacenters.Count;

    /// <summary>
    /// Marks a datacenter the harness itself took away (e.g. "partitioned"): while marked, its node not answering
    /// reads "unreachable (partitioned, as injected)" instead of the raw connection error, because that is the
    /// fault working, not the harness failing. A paused DC answers nothing; a partitioned one may still answer the host
    /// (its probes accept 474, so its pod stays Ready and keeps its LoadBalancer IP) or not, if its pod went NotReady.
    /// </summary>
    public void ExpectUnreachable(string datacenter, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(datacenter);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        lock (_gate)
        {
            _expectedUnreachable = new Dictionary<string, string>(_expectedUnreachable, StringComparer.Ordinal) { [datacenter] = reason };
        }
    }

    /// <summary>Undoes every <see cref="ExpectUnreachable"/> (after the heal).</summary>
    public void ClearExpectedUnreachable()
    {
        lock (_gate)
        {
            _expectedUnreachable = new Dictionary<string, string>(StringComparer.Ordinal);
        }
    }

    /// <summary>The error text of a node that does not answer because of an injected fault.</summary>
    public static string InjectedUnreachableText(string reason) => $"{reason}, as injected";

    /// <summary>Reads every datacenter once and judges the cluster, with no injected faults to explain unreachable nodes.</summary>
    public Task<RaftObservation> ObserveAsync(CancellationToken cancellationToken) => ObserveAsync([], cancellationToken);

    /// <param name="injectedFaults">Faults the harness has in place: a node they explain reads "unreachable (partitioned|paused)", not an error.</param>
    public async Task<RaftObservation> ObserveAsync(IReadOnlyList<InjectedFault> injectedFaults, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(injectedFaults);
        var expected = Volatile.Read(ref _expectedUnreachable);
        var nodes = await Task.WhenAll(_probe.Datacenters.Select(dc => ObserveNodeAsync(dc, expected, cancellationToken)));

        AutopilotState? autopilot = null;
        RaftConfiguration? configuration = null;
        string? readThrough = null;
        var errors = new List<string>();
        if (_probe.CanReadClusterState)
        {
            // Ask the active node first: it answers without forwarding; then any node that answered.
            var leader = Locate(nodes.Select(n => n.ToLeaderObservation()).ToList());
            var candidates = new[] { leader?.Datacenter }
                .Concat(nodes.Where(n => n.Leader is not null).Select(n => n.Datacenter.Name))
                .OfType<string>()
                .Distinct(StringComparer.Ordinal);
            foreach (var dc in candidates)
            {
                try
                {
                    autopilot = await _probe.GetAutopilotStateAsync(dc, cancellationToken);
                    configuration = await _probe.GetRaftConfigurationAsync(dc, cancellationToken);
                    readThrough = dc;
                    break;
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    autopilot = null;
                    configuration = null;
                    errors.Add($"{dc}: {Redactor.Default.Redact(ex.Message)}");
                }
            }
        }

        return Compose(nodes, configuration, autopilot, _probe.CanReadClusterState, errors, injectedFaults, readThrough, _timeProvider.GetUtcNow());
    }

    /// <summary>
    /// Pure: the observation from what the nodes answered. A node that did not answer where an injected fault is in
    /// place reads "unreachable (&lt;reason&gt;)" with the fault's advice, in its row and in the verdict's problems.
    /// (A partitioned standby may still answer the host: the CRs' probes accept 474, so its pod stays Ready.)
    /// </summary>
    /// <param name="rootTokenKnown">False: autopilot and the Raft configuration were not asked for (they need the root token).</param>
    /// <param name="readThrough">The datacenter autopilot and the configuration were read through; null when none answered.</param>
    internal static RaftObservation Compose(
        IReadOnlyList<NodeObservation> nodes,
        RaftConfiguration? configuration,
        AutopilotState? autopilot,
        bool rootTokenKnown,
        IReadOnlyList<string> clusterErrors,
        IReadOnlyList<InjectedFault> injectedFaults,
        string? readThrough = null,
        DateTimeOffset at = default)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(clusterErrors);
        ArgumentNullException.ThrowIfNull(injectedFaults);
        var faults = injectedFaults.ToDictionary(f => f.Datacenter, StringComparer.Ordinal);
        InjectedFault? FaultOf(NodeObservation n) => n.Leader is null && faults.TryGetValue(n.Datacenter.Name, out var f) ? f : null;

        var observations = nodes.Select(n => FaultOf(n) is { } fault ? NodeLeaderObservation.Injected(fault) : n.ToLeaderObservation()).ToList();
        var health = RaftHealthEvaluator.Evaluate(autopilot, configuration, observations, nodes.Count);
        if (!rootTokenKnown)
        {
            health = health with { Problems = [.. health.Problems, "the root token is not available yet, so the Raft configuration and autopilot state were not read"] };
        }
        else if (readThrough is null && configuration is null)
        {
            health = health with
            {
                Problems = [.. health.Problems, "could not read autopilot state and Raft configuration through any node" + (clusterErrors.Count == 0 ? string.Empty : ": " + string.Join("; ", clusterErrors))],
            };
        }

        var leader = Locate(observations, [.. nodes.Select(n => n.Datacenter)]);
        var rows = nodes.Select(n => Row(n, autopilot, FaultOf(n), leader)).ToList();
        return new RaftObservation(health, rows)
        {
            Observations = observations,
            Leader = leader,
            Autopilot = autopilot,
            Configuration = configuration,
            ReadThrough = readThrough,
            ClusterErrors = clusterErrors,
            At = at,
        };
    }

    /// <summary>Asks every datacenter's sys/leader in parallel (nothing else); a node that does not answer becomes an unreachable observation.</summary>
    public async Task<IReadOnlyList<NodeLeaderObservation>> ObserveLeadersAsync(CancellationToken cancellationToken)
    {
        var expected = Volatile.Read(ref _expectedUnreachable);
        return await Task.WhenAll(_probe.Datacenters.Select(async dc =>
        {
            var (leader, error) = await TryReadLeaderAsync(dc.Name, expected, cancellationToken);
            return leader is not null ? new NodeLeaderObservation(dc.Name, leader) : NodeLeaderObservation.Unreachable(dc.Name, error!);
        }));
    }

    /// <summary>The current leader (sys/leader of every node only), or null when no node claims it and no node names a known leader address.</summary>
    public async Task<LocatedLeader?> FindLeaderAsync(CancellationToken cancellationToken) =>
        Locate(await ObserveLeadersAsync(cancellationToken));

    /// <summary>Pure: the leader these observations point at (see the class summary).</summary>
    public LocatedLeader? Locate(IReadOnlyList<NodeLeaderObservation> observations) => Locate(observations, _probe.Datacenters);

    private static LocatedLeader? Locate(IReadOnlyList<NodeLeaderObservation> observations, IReadOnlyList<DatacenterAddress> datacenters)
    {
        ArgumentNullException.ThrowIfNull(observations);
        var claimants = observations.Where(o => o.Leader is { IsSelf: true }).Select(o => o.Node).ToList();
        var active = RaftHealthEvaluator.PickActive(observations);
        if (active is not null)
        {
            return new LocatedLeader(active.Node, Confirmed: true, active.Leader!.ActiveTime, claimants, observations);
        }

        var named = observations
            .Select(o => DatacenterOfAddress(o.Leader?.LeaderAddress, datacenters))
            .Where(dc => dc is not null)
            .GroupBy(dc => dc!, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count())
            .Select(g => g.Key)
            .FirstOrDefault();
        return named is null ? null : new LocatedLeader(named, Confirmed: false, null, claimants, observations);
    }

    /// <summary>
    /// Maps a leader_address or cluster address ("https://172.18.255.200:8200", "172.18.255.200:8201",
    /// "https://[fc00::ff00]:8200") to the datacenter whose LoadBalancer IP it is; null when none matches.
    /// </summary>
    public string? DatacenterOfAddress(string? address) => DatacenterOfAddress(address, _probe.Datacenters);

    private static string? DatacenterOfAddress(string? address, IReadOnlyList<DatacenterAddress> datacenters)
    {
        var host = HostOf(address);
        if (host is null || !IPAddress.TryParse(host, out var ip))
        {
            return null;
        }

        return datacenters.FirstOrDefault(d => IPAddress.TryParse(d.LoadBalancerIp, out var lb) && lb.Equals(ip))?.Name;
    }

    /// <summary>
    /// Which datacenter served a request just answered by <paramref name="datacenter"/>'s node: itself when it says
    /// is_self, else the active node it names (where it forwards requests). Null when it does not answer or names
    /// no known leader.
    /// </summary>
    public async Task<string?> ActiveAccordingToAsync(string datacenter, CancellationToken cancellationToken)
    {
        try
        {
            var leader = await _probe.GetLeaderAsync(datacenter, cancellationToken);
            return leader.IsSelf ? datacenter : DatacenterOfAddress(leader.LeaderAddress);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>Polls until some node confirms it is active.</summary>
    /// <exception cref="TimeoutException">No node claimed is_self within <paramref name="timeout"/>; the message lists what each node said.</exception>
    public Task<LocatedLeader> WaitForLeaderAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        WaitForLeaderAsync(l => l.Confirmed, timeout, "a confirmed active node", cancellationToken);

    /// <summary>
    /// Polls until a node in a datacenter other than <paramref name="oldLeader"/> confirms it is active (is_self, and
    /// the newest active_time if the old leader still claims it too).
    /// </summary>
    /// <exception cref="TimeoutException">No new leader within <paramref name="timeout"/>; the message lists what each node said last.</exception>
    public Task<LocatedLeader> WaitForNewLeaderAsync(string oldLeader, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(oldLeader);
        return WaitForLeaderAsync(
            l => l.Confirmed && !string.Equals(l.Datacenter, oldLeader, StringComparison.Ordinal),
            timeout,
            $"a new active node outside '{oldLeader}'",
            cancellationToken);
    }

    /// <summary>Polls full observations until <paramref name="condition"/> holds (default: healthy).</summary>
    /// <exception cref="TimeoutException">The message carries the last observation's problems.</exception>
    public async Task<RaftObservation> WaitUntilAsync(
        Func<RaftObservation, bool>? condition,
        TimeSpan timeout,
        string what,
        CancellationToken cancellationToken)
    {
        condition ??= r => r.Healthy;
        return await Poll.UntilAsync(
            ObserveAsync,
            condition,
            PollSchedule.For(timeout, PollInterval),
            _timeProvider,
            reading => $"Waited {timeout.TotalSeconds:0} s for {what}; last reading: {reading}. " +
                       "Run 'multidc status' and look at the Vault pods' logs (kubectl logs vault-<dc>-0 -c vault).",
            cancellationToken);
    }

    /// <summary>Polls until the cluster is healthy: every datacenter a voter, one agreed leader, autopilot healthy.</summary>
    /// <exception cref="TimeoutException">Not healthy within <paramref name="timeout"/>; the message carries the last reading.</exception>
    public Task<RaftObservation> WaitForHealthyAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        WaitUntilAsync(null, timeout, $"a healthy cluster ({ExpectedVoters} voters, one agreed leader, autopilot healthy)", cancellationToken);

    /// <summary>"primary: active since ..., secondary: standby -> https://...:8200, tertiary: unreachable (...)".</summary>
    public static string Describe(IEnumerable<NodeLeaderObservation> observations)
    {
        ArgumentNullException.ThrowIfNull(observations);
        var parts = observations.Select(o => o.Leader switch
        {
            null => $"{o.Node}: unreachable ({o.Error ?? "no answer"})",
            { IsSelf: true } l => $"{o.Node}: active since {l.ActiveTime:O}",
            { } l => $"{o.Node}: standby -> {(string.IsNullOrEmpty(l.LeaderAddress) ? "no leader" : l.LeaderAddress)}",
        }).ToList();
        return parts.Count == 0 ? "none" : string.Join(", ", parts);
    }

    private async Task<LocatedLeader> WaitForLeaderAsync(Func<LocatedLeader, bool> accept, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        var found = await Poll.UntilAsync(
            async ct =>
            {
                var observations = await ObserveLeadersAsync(ct);
                return (Observations: observations, Leader: Locate(observations));
            },
            seen => seen.Leader is { } leader && accept(leader),
            PollSchedule.For(timeout, PollInterval),
            _timeProvider,
            seen => $"Waited {timeout.TotalSeconds:0} s for {what}; last answers to sys/leader: {Describe(seen.Observations)}. " +
                    "Check the Raft state (multidc status) and the Vault pods' logs; an election needs a majority of voters reachable.",
            cancellationToken);
        return found.Leader!;
    }

    /// <summary>sys/health and sys/leader at once: a paused node costs one request timeout, not two.</summary>
    private async Task<NodeObservation> ObserveNodeAsync(DatacenterAddress dc, IReadOnlyDictionary<string, string> expected, CancellationToken cancellationToken)
    {
        var health = TryReadHealthAsync(dc.Name, cancellationToken);
        var leader = TryReadLeaderAsync(dc.Name, expected, cancellationToken);
        var (answer, error) = await leader;
        return new NodeObservation(dc, await health, answer, error);
    }

    private async Task<VaultHealth?> TryReadHealthAsync(string datacenter, CancellationToken cancellationToken)
    {
        try
        {
            return await _probe.GetHealthAsync(datacenter, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // sys/leader's answer (or error) is what the row reports; health only adds the seal state.
            return null;
        }
    }

    private async Task<(VaultLeader? Leader, string? Error)> TryReadLeaderAsync(
        string datacenter, IReadOnlyDictionary<string, string> expected, CancellationToken cancellationToken)
    {
        try
        {
            return (await _probe.GetLeaderAsync(datacenter, cancellationToken), null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return (null, expected.TryGetValue(datacenter, out var reason) ? InjectedUnreachableText(reason) : Redactor.Default.Redact(ex.Message));
        }
    }

    private static DatacenterStatus Row(NodeObservation node, AutopilotState? autopilot, InjectedFault? fault, LocatedLeader? leader)
    {
        var dc = node.Datacenter;
        var server = autopilot?.Servers.Values.FirstOrDefault(s => s.Name == dc.Name || s.Id == dc.Name);
        var role = fault is not null || (node.Leader is null && node.Health?.Sealed != true)
            ? RaftNodeRole.Unreachable
            : node.Health?.Sealed == true
                ? RaftNodeRole.Sealed
                : leader is { Confirmed: true } && leader.Datacenter == dc.Name ? RaftNodeRole.Leader : RaftNodeRole.Follower;
        var raftRole = fault is not null
            ? $"unreachable ({fault.Reason})"
            : server?.Status ?? role switch
            {
                RaftNodeRole.Unreachable => "unreachable",
                RaftNodeRole.Sealed => "sealed",
                _ => node.Leader!.IsSelf ? "leader" : "standby",
            };
        return new DatacenterStatus(
            dc.Name,
            dc.LoadBalancerIp,
            new ClusterIdentity(dc.Name).PodName,
            node.Health?.Sealed,
            raftRole,
            server?.LastContactDuration,
            server?.Healthy,
            fault?.Advice ?? node.Error)
        {
            Role = role,
        };
    }

    private static string? HostOf(string? address)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            return null;
        }

        var text = address.Contains("://", StringComparison.Ordinal) ? address : "tcp://" + address;
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) ? uri.DnsSafeHost : null;
    }

    /// <summary>What one node answered to sys/health and sys/leader; <paramref name="Error"/> is why sys/leader did not answer.</summary>
    internal sealed record NodeObservation(DatacenterAddress Datacenter, VaultHealth? Health, VaultLeader? Leader, string? Error)
    {
        internal NodeLeaderObservation ToLeaderObservation() =>
            Leader is not null ? new NodeLeaderObservation(Datacenter.Name, Leader) : NodeLeaderObservation.Unreachable(Datacenter.Name, Error ?? "no answer");
    }
}
