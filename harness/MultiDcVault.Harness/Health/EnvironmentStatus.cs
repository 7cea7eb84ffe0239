using MultiDcVault.Harness.Faults;

namespace MultiDcVault.Harness.Health;

/// <summary>One row of <c>multidc status</c>.</summary>
/// <param name="RaftRole">What to show: autopilot's status (leader|voter|non-voter) when known, else what sys/leader said.</param>
/// <param name="Problem">Why the node is unreachable: the injected fault's advice, else the raw (redacted) error.</param>
public sealed record DatacenterStatus(
    string Name,
    string? LoadBalancerIp,
    string? Pod,
    bool? Sealed,
    string RaftRole,
    TimeSpan? LastContact,
    bool? AutopilotHealthy,
    string? Problem)
{
    /// <summary>The node's role as the observer judged it (leader, follower, sealed, unreachable).</summary>
    public RaftNodeRole Role { get; init; } = RaftNodeRole.Follower;
}

/// <summary>A running environment as <c>multidc status</c> shows it: one row per datacenter, the leader and the Raft verdict.</summary>
/// <param name="Healthy">True when the Raft cluster has no problem: every datacenter a voter, one agreed leader, autopilot healthy.</param>
/// <param name="Datacenters">One row per datacenter; empty when no running environment was found.</param>
/// <param name="Leader">Raft node_id of the leader (the datacenter's name); null when there is none.</param>
/// <param name="Voters">How many Raft voters autopilot (else the Raft configuration) counts.</param>
/// <param name="FailureTolerance">How many voters may fail without losing quorum; null while autopilot has no state.</param>
/// <param name="Problems">Why the environment is not healthy, in words a person can act on; empty when it is.</param>
public sealed record EnvironmentStatus(
    bool Healthy,
    IReadOnlyList<DatacenterStatus> Datacenters,
    string? Leader,
    int Voters,
    int? FailureTolerance,
    IReadOnlyList<string> Problems)
{
    /// <summary>Faults of the catalogue found in place (partition chains, paused nodes); they explain unreachable rows.</summary>
    public IReadOnlyList<InjectedFault> InjectedFaults { get; init; } = [];
}

/// <summary>What tearing an environment down removed, and what went wrong on the way.</summary>
/// <param name="ClustersDeleted">Names of the kind clusters deleted.</param>
/// <param name="ContainersRemoved">Docker containers removed: the central Vault and anything else labelled with the session.</param>
/// <param name="NetworksRemoved">Docker networks removed (only those the session made).</param>
/// <param name="Problems">What could not be removed, or was left alone and why; empty when everything went.</param>
public sealed record TeardownReport(
    IReadOnlyList<string> ClustersDeleted,
    IReadOnlyList<string> ContainersRemoved,
    IReadOnlyList<string> NetworksRemoved,
    IReadOnlyList<string> Problems)
{
    /// <summary>Named volumes removed (the central Vault's storage).</summary>
    public IReadOnlyList<string> VolumesRemoved { get; init; } = [];

    /// <summary>What teardown worked around (an unreadable state file): worth saying, but not a problem.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Live owners (host/pid) whose objects a forced <c>down --all</c> removed.</summary>
    internal IReadOnlyList<string> LiveOwnersRemoved { get; init; } = [];

    /// <summary>True when nothing was found to remove and nothing went wrong.</summary>
    public bool RemovedNothing =>
        ClustersDeleted.Count == 0 && ContainersRemoved.Count == 0 && NetworksRemoved.Count == 0 && VolumesRemoved.Count == 0 && Problems.Count == 0;
}

/// <summary>Up failed; the bundle path is where to look first.</summary>
internal sealed class EnvironmentUpException : Exception
{
    public EnvironmentUpException()
    {
    }

    public EnvironmentUpException(string message)
        : base(message)
    {
    }

    public EnvironmentUpException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public EnvironmentUpException(string message, string? diagnosticsPath, Exception? innerException)
        : base(message, innerException)
    {
        DiagnosticsPath = diagnosticsPath;
    }

    public string? DiagnosticsPath { get; }
}

/// <summary>Prerequisites are missing (tools, Docker, kernel limits); thrown within seconds, before anything is created.</summary>
internal sealed class PrerequisitesMissingException : Exception
{
    public PrerequisitesMissingException()
    {
    }

    public PrerequisitesMissingException(string message)
        : base(message)
    {
    }

    public PrerequisitesMissingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public PrerequisitesMissingException(IReadOnlyList<string> problems)
        : base("Prerequisites missing:\n  " + string.Join("\n  ", problems))
    {
        Problems = problems;
    }

    public IReadOnlyList<string> Problems { get; } = [];
}
