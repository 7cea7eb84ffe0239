using System.Net;
using System.Text.Json.Serialization;
using System.Text.Json;
using MultiDcVault.Harness.Infrastructure.Secrets;

namespace MultiDcVault.Harness.Infrastructure.Vault;

/// <summary>GET /v1/sys/health. Field names follow Vault's JSON (snake_case).</summary>
public sealed record VaultHealth
{
    public bool Initialized { get; init; }
    public bool Sealed { get; init; }
    public bool Standby { get; init; }
    public bool PerformanceStandby { get; init; }
    public string? ReplicationPerformanceMode { get; init; }
    public string? ReplicationDrMode { get; init; }

    /// <summary>Unix seconds.</summary>
    public long ServerTimeUtc { get; init; }
    public string? Version { get; init; }
    public string? ClusterName { get; init; }
    public string? ClusterId { get; init; }

    /// <summary>Vault 1.19+: the node was removed from the Raft cluster.</summary>
    public bool? RemovedFromCluster { get; init; }

    /// <summary>Vault 1.19+: a standby's connection to the active node is healthy.</summary>
    public bool? HaConnectionHealthy { get; init; }

    /// <summary>The HTTP status the server chose (depends on the *code query parameters).</summary>
    [JsonIgnore]
    public HttpStatusCode StatusCode { get; init; }

    [JsonIgnore]
    public VaultNodeState State => this switch
    {
        { Initialized: false } => VaultNodeState.Uninitialized,
        { Sealed: true } => VaultNodeState.Sealed,
        { RemovedFromCluster: true } => VaultNodeState.Removed,
        { PerformanceStandby: true } => VaultNodeState.PerformanceStandby,
        { Standby: true } => VaultNodeState.Standby,
        _ => VaultNodeState.Active,
    };
}

public enum VaultNodeState
{
    Active,
    Standby,
    PerformanceStandby,
    Sealed,
    Uninitialized,
    Removed,
}

/// <summary>GET /v1/sys/leader.</summary>
public sealed record VaultLeader
{
    public bool HaEnabled { get; init; }
    public bool IsSelf { get; init; }

    /// <summary>When this node became active; 0001-01-01 on standbys.</summary>
    public DateTimeOffset ActiveTime { get; init; }
    public string? LeaderAddress { get; init; }
    public string? LeaderClusterAddress { get; init; }
    public bool PerformanceStandby { get; init; }
    public ulong RaftCommittedIndex { get; init; }
    public ulong RaftAppliedIndex { get; init; }
}

/// <summary>GET /v1/sys/seal-status.</summary>
public sealed record VaultSealStatus
{
    public string? Type { get; init; }
    public bool Initialized { get; init; }
    public bool Sealed { get; init; }

    /// <summary>Key threshold.</summary>
    public int T { get; init; }

    /// <summary>Key shares.</summary>
    public int N { get; init; }
    public int Progress { get; init; }
    public string? Version { get; init; }
    public string? ClusterName { get; init; }
    public string? ClusterId { get; init; }
    public bool RecoverySeal { get; init; }
    public string? StorageType { get; init; }
}

/// <summary>POST /v1/sys/init request. Auto-unseal (transit) uses recovery shares; Shamir uses secret shares.</summary>
internal sealed record VaultInitRequest
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? SecretShares { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? SecretThreshold { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? RecoveryShares { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? RecoveryThreshold { get; init; }
}

/// <summary>POST /v1/sys/init answer; every credential is a SecretValue.</summary>
internal sealed record VaultInitResult(
    IReadOnlyList<SecretValue> KeysBase64,
    IReadOnlyList<SecretValue> RecoveryKeysBase64,
    SecretValue RootToken);

/// <summary>One entry of data.config.servers in GET /v1/sys/storage/raft/configuration.</summary>
public sealed record RaftServer
{
    public required string NodeId { get; init; }

    /// <summary>Cluster address host:port (8201).</summary>
    public required string Address { get; init; }
    public bool Leader { get; init; }
    public bool Voter { get; init; }

    [JsonConverter(typeof(StringOrNumberConverter))]
    public string? ProtocolVersion { get; init; }
}

public sealed record RaftConfiguration(IReadOnlyList<RaftServer> Servers, ulong Index);

/// <summary>data of GET /v1/sys/storage/raft/autopilot/state.</summary>
public sealed record AutopilotState
{
    public bool Healthy { get; init; }
    public int FailureTolerance { get; init; }
    public string? Leader { get; init; }
    public IReadOnlyList<string> Voters { get; init; } = [];
    public IReadOnlyList<string>? NonVoters { get; init; }
    public IReadOnlyDictionary<string, AutopilotServer> Servers { get; init; } = new Dictionary<string, AutopilotServer>();
}

public sealed record AutopilotServer
{
    public string? Id { get; init; }
    public string? Name { get; init; }
    public string? Address { get; init; }

    /// <summary>alive, left, failed.</summary>
    public string? NodeStatus { get; init; }

    /// <summary>Go duration text such as "0s" or "678.62575ms"; see <see cref="LastContactDuration"/>.</summary>
    public string? LastContact { get; init; }
    public ulong LastTerm { get; init; }
    public ulong LastIndex { get; init; }
    public bool Healthy { get; init; }
    public DateTimeOffset? StableSince { get; init; }

    /// <summary>leader, voter or non-voter.</summary>
    public string? Status { get; init; }
    public string? Version { get; init; }
    public string? NodeType { get; init; }

    [JsonIgnore]
    public TimeSpan? LastContactDuration => GoDuration.TryParse(LastContact, out var value) ? value : null;
}

/// <summary>A KV v2 secret read from &lt;mount&gt;/data/&lt;path&gt;.</summary>
internal sealed record KvSecret(IReadOnlyDictionary<string, JsonElement> Data, KvVersionMetadata Metadata)
{
    /// <summary>The string value of <paramref name="key"/>, or null when absent or not a string.</summary>
    public string? GetString(string key) =>
        Data.TryGetValue(key, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>Metadata of one KV v2 version (the answer of a write, or data.metadata of a read).</summary>
internal sealed record KvVersionMetadata
{
    public int Version { get; init; }
    public DateTimeOffset? CreatedTime { get; init; }

    /// <summary>Empty string when not deleted, as Vault sends it.</summary>
    public string? DeletionTime { get; init; }
    public bool Destroyed { get; init; }
}

/// <summary>POST /v1/sys/mounts/&lt;path&gt;.</summary>
internal sealed record MountRequest(string Type)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Description { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Options { get; init; }
}

/// <summary>POST /v1/auth/token/create-orphan parameters we use.</summary>
internal sealed record OrphanTokenRequest
{
    public required IReadOnlyList<string> Policies { get; init; }

    /// <summary>Renewal period; the token lives as long as it is renewed within it (seal "transit" renews it).</summary>
    public required TimeSpan Period { get; init; }

    public string? DisplayName { get; init; }

    public bool NoDefaultPolicy { get; init; }
}
