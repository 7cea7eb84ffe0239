using System.Net;
using System.Text.Json.Serialization;
using System.Text.Json;
using MultiDcVault.Harness.Infrastructure.Secrets;

namespace MultiDcVault.Harness.Infrastructure.Vault;

/// <summary>GET /v1/sys/health. Field names follow Vault's JSON (snake_case).</summary>
public sealed record VaultHealth
{
    /// <summary>The node has been initialized (sys/init ran).</summary>
    public bool Initialized { get; init; }
    /// <summary>The node is sealed: it serves nothing but health and seal status.</summary>
    public bool Sealed { get; init; }
    /// <summary>The node is an unsealed standby, not the active node.</summary>
    public bool Standby { get; init; }
    /// <summary>The node is an Enterprise performance standby; always false on Vault Community Edition.</summary>
    public bool PerformanceStandby { get; init; }
    /// <summary>Enterprise performance-replication mode, e.g. "disabled"; null when Vault does not send it.</summary>
    public string? ReplicationPerformanceMode { get; init; }
    /// <summary>Enterprise disaster-recovery replication mode, e.g. "disabled"; null when Vault does not send it.</summary>
    public string? ReplicationDrMode { get; init; }

    /// <summary>Unix seconds.</summary>
    public long ServerTimeUtc { get; init; }
    /// <summary>The Vault version the node runs.</summary>
    public string? Version { get; init; }
    /// <summary>Name of the Vault cluster the node belongs to; null when Vault does not send it (e.g. uninitialized).</summary>
    public string? ClusterName { get; init; }
    /// <summary>ID of the Vault cluster the node belongs to; null when Vault does not send it (e.g. uninitialized).</summary>
    public string? ClusterId { get; init; }

    /// <summary>Vault 1.19+: the node was removed from the Raft cluster.</summary>
    public bool? RemovedFromCluster { get; init; }

    /// <summary>Vault 1.19+: a standby's connection to the active node is healthy.</summary>
    public bool? HaConnectionHealthy { get; init; }

    /// <summary>The HTTP status the server chose (depends on the *code query parameters).</summary>
    [JsonIgnore]
    public HttpStatusCode StatusCode { get; init; }

    /// <summary>The node's state from these flags, checked in order: uninitialized, sealed, removed, performance standby, standby, else active.</summary>
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

/// <summary>A Vault node's state as sys/health's flags give it (<see cref="VaultHealth.State"/>).</summary>
public enum VaultNodeState
{
    /// <summary>Initialized, unsealed and not a standby: the node that serves writes.</summary>
    Active,
    /// <summary>Unsealed standby; it forwards requests to the active node.</summary>
    Standby,
    /// <summary>Enterprise performance standby: serves reads itself, forwards writes.</summary>
    PerformanceStandby,
    /// <summary>Initialized but sealed.</summary>
    Sealed,
    /// <summary>Not initialized yet (sys/init has not run).</summary>
    Uninitialized,
    /// <summary>Removed from the Raft cluster (Vault 1.19+).</summary>
    Removed,
}

/// <summary>GET /v1/sys/leader.</summary>
public sealed record VaultLeader
{
    /// <summary>The storage backend supports high availability (always true with Raft storage).</summary>
    public bool HaEnabled { get; init; }
    /// <summary>This node is the active node.</summary>
    public bool IsSelf { get; init; }

    /// <summary>When this node became active; 0001-01-01 on standbys.</summary>
    public DateTimeOffset ActiveTime { get; init; }
    /// <summary>API address of the active node as this node knows it; empty when it knows none.</summary>
    public string? LeaderAddress { get; init; }
    /// <summary>Cluster address (port 8201) of the active node as this node knows it; empty when it knows none.</summary>
    public string? LeaderClusterAddress { get; init; }
    /// <summary>This node is an Enterprise performance standby.</summary>
    public bool PerformanceStandby { get; init; }
    /// <summary>Highest Raft log index this node knows to be committed (Raft storage only).</summary>
    public ulong RaftCommittedIndex { get; init; }
    /// <summary>Highest Raft log index this node has applied; below the committed index while it catches up.</summary>
    public ulong RaftAppliedIndex { get; init; }
}

/// <summary>GET /v1/sys/seal-status.</summary>
public sealed record VaultSealStatus
{
    /// <summary>Seal type, e.g. "transit" (auto-unseal) or "shamir".</summary>
    public string? Type { get; init; }
    /// <summary>The node has been initialized (sys/init ran).</summary>
    public bool Initialized { get; init; }
    /// <summary>The node is sealed.</summary>
    public bool Sealed { get; init; }

    /// <summary>Key threshold.</summary>
    public int T { get; init; }

    /// <summary>Key shares.</summary>
    public int N { get; init; }
    /// <summary>Unseal key shares entered so far towards <see cref="T"/>; 0 when none are pending.</summary>
    public int Progress { get; init; }
    /// <summary>The Vault version the node runs.</summary>
    public string? Version { get; init; }
    /// <summary>Name of the Vault cluster; null when Vault does not send it (e.g. sealed).</summary>
    public string? ClusterName { get; init; }
    /// <summary>ID of the Vault cluster; null when Vault does not send it (e.g. sealed).</summary>
    public string? ClusterId { get; init; }
    /// <summary>True with auto-unseal: <see cref="T"/> and <see cref="N"/> then count recovery key shares.</summary>
    public bool RecoverySeal { get; init; }
    /// <summary>Storage backend, "raft" in this harness.</summary>
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
    /// <summary>The node's Raft node_id; the harness sets it to the datacenter's name.</summary>
    public required string NodeId { get; init; }

    /// <summary>Cluster address host:port (8201).</summary>
    public required string Address { get; init; }
    /// <summary>This server is the Raft leader.</summary>
    public bool Leader { get; init; }
    /// <summary>This server votes and counts towards quorum; a new node stays a non-voter until autopilot promotes it.</summary>
    public bool Voter { get; init; }

    /// <summary>Raft protocol version the server speaks, as text (Vault sends a string or a number).</summary>
    [JsonConverter(typeof(StringOrNumberConverter))]
    public string? ProtocolVersion { get; init; }
}

/// <summary>data.config of GET /v1/sys/storage/raft/configuration: the members of the Raft cluster.</summary>
/// <param name="Servers">Every member, voters and non-voters.</param>
/// <param name="Index">Raft log index at which this configuration was committed.</param>
public sealed record RaftConfiguration(IReadOnlyList<RaftServer> Servers, ulong Index);

/// <summary>data of GET /v1/sys/storage/raft/autopilot/state.</summary>
public sealed record AutopilotState
{
    /// <summary>Autopilot judges every server healthy.</summary>
    public bool Healthy { get; init; }
    /// <summary>How many voters may fail without losing quorum, by autopilot's count.</summary>
    public int FailureTolerance { get; init; }
    /// <summary>node_id of the leader autopilot sees; null or empty when there is none.</summary>
    public string? Leader { get; init; }
    /// <summary>node_ids of the voters.</summary>
    public IReadOnlyList<string> Voters { get; init; } = [];
    /// <summary>node_ids of the non-voters (e.g. new nodes still stabilizing); null when Vault sends none.</summary>
    public IReadOnlyList<string>? NonVoters { get; init; }
    /// <summary>Each server's state, keyed by node_id.</summary>
    public IReadOnlyDictionary<string, AutopilotServer> Servers { get; init; } = new Dictionary<string, AutopilotServer>();
}

/// <summary>One server of autopilot's state (an entry of data.servers).</summary>
public sealed record AutopilotServer
{
    /// <summary>The server's Raft node_id.</summary>
    public string? Id { get; init; }
    /// <summary>The server's name as autopilot reports it.</summary>
    public string? Name { get; init; }
    /// <summary>Cluster address host:port (8201) of the server.</summary>
    public string? Address { get; init; }

    /// <summary>alive, left, failed.</summary>
    public string? NodeStatus { get; init; }

    /// <summary>Go duration text such as "0s" or "678.62575ms"; see <see cref="LastContactDuration"/>.</summary>
    public string? LastContact { get; init; }
    /// <summary>Raft term of the last log entry the server holds.</summary>
    public ulong LastTerm { get; init; }
    /// <summary>Index of the last log entry the server holds; well below the leader's means it lags.</summary>
    public ulong LastIndex { get; init; }
    /// <summary>Autopilot judges this server healthy (alive, in contact with the leader, not lagging).</summary>
    public bool Healthy { get; init; }
    /// <summary>When the server last became healthy; null when Vault sends none.</summary>
    public DateTimeOffset? StableSince { get; init; }

    /// <summary>leader, voter or non-voter.</summary>
    public string? Status { get; init; }
    /// <summary>The Vault version the server runs.</summary>
    public string? Version { get; init; }
    /// <summary>Autopilot's node type for the server, e.g. "voter".</summary>
    public string? NodeType { get; init; }

    /// <see cref="LastContact"/> as a duration; null when missing or not a Go duration.
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
