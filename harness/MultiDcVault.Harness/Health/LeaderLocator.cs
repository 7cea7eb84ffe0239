using System.Net;
using MultiDcVault.Harness.Infrastructure.Secrets;
using MultiDcVault.Harness.Infrastructure.Polling;

namespace MultiDcVault.Harness.Health;

/// <summary>The datacenter hosting the active Vault node, and how sure we are.</summary>
/// <param name="Datacenter">Where the active node runs.</param>
/// <param name="Confirmed">True when that node itself answered is_self=true; false when only other nodes' leader_address names it.</param>
/// <param name="ActiveTime">The node's active_time (when it became active); null when not confirmed.</param>
/// <param name="Claimants">Every datacenter whose node claimed is_self (more than one: an old leader has not noticed yet).</param>
/// <param name="Observations">What every datacenter answered to sys/leader (Node = datacenter name).</param>
public sealed record LocatedLeader(
    string Datacenter,
    bool Confirmed,
    DateTimeOffset? ActiveTime,
    IReadOnlyList<string> Claimants,
    IReadOnlyList<NodeLeaderObservation> Observations);

/// <summary>
/// Finds the active node by asking every datacenter's sys/leader. During a partition an old leader can still
/// claim is_self until it notices it lost its quorum, so among several claims the newest active_time wins.
/// When no node claims it (the active node is unreachable from here), the leader_address the others report
/// is mapped back to a datacenter by its LoadBalancer IP, and the answer is marked unconfirmed.
/// </summary>
public sealed class LeaderLocator
{
    private readonly IVaultNodeProbe _probe;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _gate = new();
    private IReadOnlyDictionary<string, string> _expectedUnreachable = new Dictionary<string, string>(StringComparer.Ordinal);

    public LeaderLocator(IVaultNodeProbe probe, TimeProvider? timeProvider = null, TimeSpan? pollInterval = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        _probe = probe;
        _timeProvider = timeProvider ?? TimeProvider.System;
        PollInterval = pollInterval ?? TimeSpan.FromMilliseconds(500);
    }

    public TimeSpan PollInterval { get; }

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

    /// <summary>Asks every datacenter in parallel; a node that does not answer becomes an unreachable observation.</summary>
    public async Task<IReadOnlyList<NodeLeaderObservation>> ObserveAsync(CancellationToken cancellationToken)
    {
        var expected = Volatile.Read(ref _expectedUnreachable);
        var observations = await Task.WhenAll(_probe.Datacenters.Select(async dc =>
        {
            try
            {
                return new NodeLeaderObservation(dc.Name, await _probe.GetLeaderAsync(dc.Name, cancellationToken));
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                return NodeLeaderObservation.Unreachable(
                    dc.Name,
                    expected.TryGetValue(dc.Name, out var reason) ? InjectedUnreachableText(reason) : Redactor.Default.Redact(ex.Message));
            }
        }));
        return observations;
    }

    /// <summary>The current leader, or null when no node claims it and no node names a known leader address.</summary>
    public async Task<LocatedLeader?> FindLeaderAsync(CancellationToken cancellationToken) =>
        Locate(await ObserveAsync(cancellationToken));

    /// <summary>Pure: the leader these observations point at (see the class summary).</summary>
    public LocatedLeader? Locate(IReadOnlyList<NodeLeaderObservation> observations)
    {
        ArgumentNullException.ThrowIfNull(observations);
        var claimants = observations.Where(o => o.Leader is { IsSelf: true }).Select(o => o.Node).ToList();
        var active = RaftHealthEvaluator.PickActive(observations);
        if (active is not null)
        {
            return new LocatedLeader(active.Node, Confirmed: true, active.Leader!.ActiveTime, claimants, observations);
        }

        var named = observations
            .Select(o => DatacenterOfAddress(o.Leader?.LeaderAddress))
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
    public string? DatacenterOfAddress(string? address)
    {
        var host = HostOf(address);
        if (host is null || !IPAddress.TryParse(host, out var ip))
        {
            return null;
        }

        return _probe.Datacenters.FirstOrDefault(d => IPAddress.TryParse(d.LoadBalancerIp, out var lb) && lb.Equals(ip))?.Name;
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
        WaitAsync(l => l.Confirmed, timeout, "a confirmed active node", cancellationToken);

    /// <summary>
    /// Polls until a node in a datacenter other than <paramref name="oldLeader"/> confirms it is active (is_self, and
    /// the newest active_time if the old leader still claims it too).
    /// </summary>
    /// <exception cref="TimeoutException">No new leader within <paramref name="timeout"/>; the message lists what each node said last.</exception>
    public Task<LocatedLeader> WaitForNewLeaderAsync(string oldLeader, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(oldLeader);
        return WaitAsync(
            l => l.Confirmed && !string.Equals(l.Datacenter, oldLeader, StringComparison.Ordinal),
            timeout,
            $"a new active node outside '{oldLeader}'",
            cancellationToken);
    }

    private async Task<LocatedLeader> WaitAsync(Func<LocatedLeader, bool> accept, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        var found = await Poll.UntilAsync(
            async ct =>
            {
                var observations = await ObserveAsync(ct);
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

    private static string? HostOf(string? address)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            return null;
        }

        var text = address.Contains("://", StringComparison.Ordinal) ? address : "tcp://" + address;
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) ? uri.DnsSafeHost : null;
    }
}
