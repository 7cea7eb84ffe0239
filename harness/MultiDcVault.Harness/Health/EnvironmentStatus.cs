using MultiDcVault.Harness.Faults;

namespace MultiDcVault.Harness.Health;

/// <summary>One row of <c>multidc status</c>.</summary>
public sealed record DatacenterStatus(
    string Name,
    string? LoadBalancerIp,
    string? Pod,
    bool? Sealed,
    string RaftRole,
    TimeSpan? LastContact,
    bool? AutopilotHealthy,
    string? Problem);

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
}

/// <summary>Up failed; the bundle path is where to look first.</summary>
public sealed class EnvironmentUpException : Exception
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
public sealed class PrerequisitesMissingException : Exception
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
