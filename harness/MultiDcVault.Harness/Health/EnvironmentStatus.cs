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
