using MultiDcVault.Harness.Environment.Steps;
using MultiDcVault.Harness.Planning;

namespace MultiDcVault.Harness.Environment.State;

/// <summary>
/// What <c>&lt;WorkDirectory&gt;/state.json</c> remembers about an environment so a later process can
/// attach to it, reuse it or tear it down. Holds no credential: those live in secrets.json.
/// </summary>
internal sealed record EnvironmentState
{
    public const int CurrentVersion = 1;

    public int Version { get; init; } = CurrentVersion;

    public required string Session { get; init; }

    public required string NetworkName { get; init; }

    /// <summary>True when this harness created the network, so <c>down</c> may remove it.</summary>
    public bool NetworkCreatedByHarness { get; init; }

    /// <summary>The network as planned from (subnets, addresses in use then).</summary>
    public NetworkLayout? Network { get; init; }

    /// <summary>Every cluster this session created or started to create, in plan order (leader first).</summary>
    public IReadOnlyList<ClusterState> Clusters { get; init; } = [];

    public string? CentralVaultContainer { get; init; }

    /// <summary>"creating", "up" or "failed".</summary>
    public string Status { get; init; } = StatusCreating;

    public DateTimeOffset UpdatedAt { get; init; }

    public IReadOnlyList<RecordedPhase> Timings { get; init; } = [];

    public const string StatusCreating = "creating";
    public const string StatusUp = "up";
    public const string StatusFailed = "failed";
}

/// <summary>One cluster of the session.</summary>
internal sealed record ClusterState(
    string Name,
    ClusterRole Role,
    string KubeconfigPath,
    string KubeContext,
    IReadOnlyList<string> AddressPools)
{
    public string? LoadBalancerIp { get; init; }

    /// <summary>
    /// The cluster's Vault CA certificate (ca.crt of its TLS Secret; public, no key). Kept so attaching needs no
    /// Kubernetes API call: a paused datacenter's API server does not answer, and `status`/`heal` must still work.
    /// </summary>
    public string? CaCertificatePem { get; init; }
}
