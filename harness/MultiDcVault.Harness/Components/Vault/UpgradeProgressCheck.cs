using MultiDcVault.Harness.Infrastructure.Vault;

namespace MultiDcVault.Harness.Components.Vault;

/// <summary>
/// What autopilot must say during and after a rolling upgrade, as pure checks over one GET sys/storage/raft/autopilot/state.
/// Each returns the problems (empty: satisfied), so a wait can poll it and its timeout can say what was last wrong.
/// Versions are compared as autopilot reports them: the plain version (hashicorp/vault physical/raft/raft.go
/// effectiveSDKVersion = version.GetVersion().Version, no "-prerelease" or "+ent" suffix, unlike sys/health's
/// VersionNumber()), which for a community image is its tag (<see cref="Configuration.SupportedVaultVersions.VersionTextOf"/>).
/// A follower's version is the one its last echo heartbeat carried, else the leader's persisted copy (raft_autopilot.go
/// determineFollowerVersions): right after a restart it can lag, so poll these checks rather than reading once.
/// </summary>
internal static class UpgradeProgressCheck
{
    /// <summary>
    /// The upgraded node is back: autopilot healthy, the node a voter (in voters, status leader or voter) and healthy,
    /// reporting <paramref name="expectedVersion"/>.
    /// </summary>
    public static IReadOnlyList<string> NodeRejoined(AutopilotState? state, string nodeId, string expectedVersion)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nodeId);
        ArgumentException.ThrowIfNullOrWhiteSpace(expectedVersion);
        if (state is null || state.Servers.Count == 0)
        {
            return ["autopilot reports no servers yet (it is starting on the active node)"];
        }

        var problems = new List<string>();
        if (!state.Healthy)
        {
            problems.Add($"autopilot is not healthy (failure tolerance {state.FailureTolerance}; unhealthy: {Unhealthy(state)})");
        }

        if (!state.Servers.TryGetValue(nodeId, out var server))
        {
            problems.Add($"{nodeId} is not a Raft server (servers: {string.Join(", ", state.Servers.Keys.Order(StringComparer.Ordinal))})");
            return problems;
        }

        if (!state.Voters.Contains(nodeId, StringComparer.Ordinal) || server.Status is not ("voter" or "leader"))
        {
            problems.Add($"{nodeId} is not a voter again (status {server.Status ?? "none"}; a restarted node waits out server_stabilization_time as a non-voter)");
        }

        if (!server.Healthy)
        {
            problems.Add($"{nodeId} is not healthy by autopilot (last contact {server.LastContact ?? "none"}, last index {server.LastIndex})");
        }

        if (VersionProblem(nodeId, server, expectedVersion) is { } version)
        {
            problems.Add(version);
        }

        return problems;
    }

    /// <summary>
    /// Every one of <paramref name="expectedServers"/> reports <paramref name="expectedVersion"/>, and autopilot knows no
    /// other server. A server with no version (autopilot state from before Vault 1.11, or not known yet) is a problem.
    /// </summary>
    public static IReadOnlyList<string> AllUpgraded(AutopilotState? state, IReadOnlyCollection<string> expectedServers, string expectedVersion)
    {
        ArgumentNullException.ThrowIfNull(expectedServers);
        ArgumentException.ThrowIfNullOrWhiteSpace(expectedVersion);
        if (expectedServers.Count == 0)
        {
            throw new ArgumentException("No servers to check.", nameof(expectedServers));
        }

        if (state is null || state.Servers.Count == 0)
        {
            return ["autopilot reports no servers yet (it is starting on the active node)"];
        }

        var problems = new List<string>();
        foreach (var id in expectedServers)
        {
            if (!state.Servers.TryGetValue(id, out var server))
            {
                problems.Add($"{id} is missing from autopilot's servers");
            }
            else if (VersionProblem(id, server, expectedVersion) is { } version)
            {
                problems.Add(version);
            }
        }

        problems.AddRange(state.Servers.Keys
            .Where(id => !expectedServers.Contains(id, StringComparer.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(id => $"{id} is a Raft server that is not one of the datacenters ({string.Join(", ", expectedServers)})"));
        return problems;
    }

    private static string? VersionProblem(string id, AutopilotServer server, string expected) => server.Version switch
    {
        null or "" => $"{id} reports no version",
        var v when v == expected => null,
        var v => $"{id} reports version {v}, not {expected}",
    };

    private static string Unhealthy(AutopilotState state)
    {
        var names = state.Servers.Where(s => !s.Value.Healthy).Select(s => s.Key).Order(StringComparer.Ordinal).ToList();
        return names.Count == 0 ? "none listed" : string.Join(", ", names);
    }
}
