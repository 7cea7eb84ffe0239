using MultiDcVault.Harness.Infrastructure.Vault;

namespace MultiDcVault.Harness.Health;

/// <summary>Pure rules that turn raw Vault answers into a <see cref="RaftHealthSnapshot"/>.</summary>
internal static class RaftHealthEvaluator
{
    /// <summary>Failure tolerance a healthy cluster of <paramref name="voters"/> voters has: a majority must survive.</summary>
    public static int ExpectedFailureTolerance(int voters) => voters <= 0 ? 0 : (voters - 1) / 2;

    public static RaftHealthSnapshot Evaluate(
        AutopilotState? autopilot,
        RaftConfiguration? configuration,
        IReadOnlyList<NodeLeaderObservation> leaders,
        int expectedVoters)
    {
        ArgumentNullException.ThrowIfNull(leaders);
        ArgumentOutOfRangeException.ThrowIfLessThan(expectedVoters, 1);
        var problems = new List<string>();

        var voterCount = autopilot is not null
            ? autopilot.Voters.Count
            : configuration?.Servers.Count(s => s.Voter) ?? 0;
        var configLeader = configuration?.Servers.FirstOrDefault(s => s.Leader)?.NodeId;
        var leaderId = NullIfEmpty(autopilot?.Leader) ?? configLeader;

        if (autopilot is null)
        {
            problems.Add("autopilot has no state yet (it starts a few seconds after a leader is elected)");
        }
        else if (!autopilot.Healthy)
        {
            problems.Add("autopilot reports the cluster unhealthy");
        }

        if (voterCount != expectedVoters)
        {
            problems.Add($"{voterCount} voter(s), expected {expectedVoters} (new nodes stay non-voters for server_stabilization_time)");
        }

        var failureTolerance = autopilot?.FailureTolerance ?? 0;
        var expectedTolerance = ExpectedFailureTolerance(expectedVoters);
        if (autopilot is not null && failureTolerance < expectedTolerance)
        {
            problems.Add($"failure tolerance {failureTolerance}, expected {expectedTolerance}");
        }

        if (leaderId is null)
        {
            problems.Add("no Raft leader");
        }
        else if (configLeader is not null && autopilot?.Leader is { Length: > 0 } autopilotLeader
            && !string.Equals(configLeader, autopilotLeader, StringComparison.Ordinal))
        {
            problems.Add($"autopilot names {autopilotLeader} as leader but the Raft configuration names {configLeader}");
        }

        var unhealthy = autopilot?.Servers
            .Where(pair => !pair.Value.Healthy)
            .Select(pair => pair.Value.Name ?? pair.Key)
            .Order(StringComparer.Ordinal)
            .ToArray() ?? [];
        foreach (var name in unhealthy)
        {
            var server = autopilot!.Servers.First(p => (p.Value.Name ?? p.Key) == name).Value;
            problems.Add($"server {name} unhealthy (node_status {server.NodeStatus ?? "unknown"}, last contact {server.LastContact ?? "unknown"})");
        }

        foreach (var unreachable in leaders.Where(o => o.Leader is null))
        {
            // A node the harness took away is the fault working: say which fault, not the connection error.
            problems.Add(unreachable.Fault is { } fault
                ? $"{unreachable.Node} is unreachable ({fault.Reason}): {fault.Advice}"
                : $"node {unreachable.Node} did not answer sys/leader: {unreachable.Error ?? "no answer"}");
        }

        var (activeNode, leaderAddress, agreed) = EvaluateLeaderAgreement(leaders, problems);
        return new RaftHealthSnapshot
        {
            AutopilotReady = autopilot is not null,
            AutopilotHealthy = autopilot?.Healthy ?? false,
            FailureTolerance = failureTolerance,
            VoterCount = voterCount,
            ExpectedVoters = expectedVoters,
            LeaderId = leaderId,
            ActiveNode = activeNode,
            LeaderAddress = leaderAddress,
            LeaderAgreed = agreed,
            UnhealthyServers = unhealthy,
            Problems = problems,
        };
    }

    /// <summary>
    /// Picks the active node: during a partition an old leader can still claim is_self until it notices,
    /// so among several claims the newest active_time wins.
    /// </summary>
    public static NodeLeaderObservation? PickActive(IEnumerable<NodeLeaderObservation> leaders)
    {
        ArgumentNullException.ThrowIfNull(leaders);
        return leaders
            .Where(o => o.Leader is { IsSelf: true })
            .OrderByDescending(o => o.Leader!.ActiveTime)
            .FirstOrDefault();
    }

    private static (string? ActiveNode, string? LeaderAddress, bool Agreed) EvaluateLeaderAgreement(
        IReadOnlyList<NodeLeaderObservation> leaders,
        List<string> problems)
    {
        var reachable = leaders.Where(o => o.Leader is not null).ToArray();
        if (reachable.Length == 0)
        {
            problems.Add("no node answered sys/leader");
            return (null, null, false);
        }

        var claimants = reachable.Where(o => o.Leader!.IsSelf).ToArray();
        var active = PickActive(claimants);
        if (claimants.Length > 1)
        {
            problems.Add(
                $"{claimants.Length} nodes claim to be active ({string.Join(", ", claimants.Select(c => c.Node))}); " +
                $"newest active_time is {active!.Node}'s");
        }
        else if (claimants.Length == 0)
        {
            problems.Add("no node claims to be active");
        }

        var addresses = reachable
            .Select(o => NullIfEmpty(o.Leader!.LeaderAddress))
            .ToArray();
        var leaderAddress = NullIfEmpty(active?.Leader!.LeaderAddress)
            ?? addresses.Where(a => a is not null)
                .GroupBy(a => a, StringComparer.Ordinal)
                .OrderByDescending(g => g.Count())
                .Select(g => g.Key)
                .FirstOrDefault();

        var sameAddress = addresses.All(a => a is not null && string.Equals(a, addresses[0], StringComparison.Ordinal));
        if (!sameAddress)
        {
            var views = reachable.Select(o => $"{o.Node}->{NullIfEmpty(o.Leader!.LeaderAddress) ?? "none"}");
            problems.Add("nodes disagree on the leader: " + string.Join(", ", views));
        }

        return (active?.Node, leaderAddress, sameAddress && claimants.Length == 1);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
