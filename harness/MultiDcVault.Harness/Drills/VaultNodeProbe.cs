using MultiDcVault.Harness.Health;
using System.Globalization;
using System.Text.Json;
using MultiDcVault.Harness.Environment;
using MultiDcVault.Harness.Infrastructure.Secrets;
using MultiDcVault.Harness.Infrastructure.Vault;

namespace MultiDcVault.Harness.Drills;

/// <summary>
/// The real <see cref="IVaultNodeProbe"/> and <see cref="IKvCounterStore"/>: one TLS-verified <see cref="VaultClient"/>
/// per datacenter of a running environment, authenticated with the root token (sent only on authenticated endpoints).
/// </summary>
public sealed class VaultNodeProbe : IVaultNodeProbe, IKvCounterStore, IDisposable
{
    /// <summary>The KV v2 mount the Vault CRs' externalConfig creates (manifests/vault/vault.yaml).</summary>
    public const string DefaultKvMount = "secret";

    /// <summary>Field of the KV v2 secret holding a writer's counter.</summary>
    public const string CounterField = "counter";

    private readonly Dictionary<string, VaultClient> _clients;
    private readonly string _kvMount;

    /// <param name="requestTimeout">Per request; keep it short: a paused datacenter never answers, it only times out.</param>
    public VaultNodeProbe(EnvironmentHandle handle, SecretValue token, TimeSpan requestTimeout, string kvMount = DefaultKvMount)
    {
        ArgumentNullException.ThrowIfNull(handle);
        ArgumentNullException.ThrowIfNull(token);
        ArgumentException.ThrowIfNullOrWhiteSpace(kvMount);
        _kvMount = kvMount;
        Datacenters = [.. handle.Datacenters.Select(d => new DatacenterAddress(d.Name, d.LoadBalancerIp))];
        _clients = handle.Datacenters.ToDictionary(d => d.Name, d => handle.CreateVaultClient(d.Name, token, requestTimeout), StringComparer.Ordinal);
    }

    public IReadOnlyList<DatacenterAddress> Datacenters { get; }

    /// <summary>Reads the root token from the central Vault and builds the probe.</summary>
    public static async Task<VaultNodeProbe> CreateAsync(EnvironmentHandle handle, TimeSpan requestTimeout, CancellationToken cancellationToken, string kvMount = DefaultKvMount)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var token = await handle.ReadRootTokenAsync(cancellationToken);
        return new VaultNodeProbe(handle, token, requestTimeout, kvMount);
    }

    public Task<VaultLeader> GetLeaderAsync(string datacenter, CancellationToken cancellationToken) =>
        Client(datacenter).GetLeaderAsync(cancellationToken);

    public Task<VaultSealStatus> GetSealStatusAsync(string datacenter, CancellationToken cancellationToken) =>
        Client(datacenter).GetSealStatusAsync(cancellationToken);

    public Task<AutopilotState?> GetAutopilotStateAsync(string datacenter, CancellationToken cancellationToken) =>
        Client(datacenter).GetAutopilotStateAsync(cancellationToken);

    public Task<RaftConfiguration> GetRaftConfigurationAsync(string datacenter, CancellationToken cancellationToken) =>
        Client(datacenter).GetRaftConfigurationAsync(cancellationToken);

    public async Task WriteCounterAsync(string datacenter, string key, long counter, CancellationToken cancellationToken) =>
        await Client(datacenter).WriteKvAsync(_kvMount, key, new Dictionary<string, object?> { [CounterField] = counter }, cancellationToken: cancellationToken);

    public async Task<long?> ReadCounterAsync(string datacenter, string key, CancellationToken cancellationToken)
    {
        var secret = await Client(datacenter).ReadKvAsync(_kvMount, key, cancellationToken);
        if (secret is null)
        {
            return null;
        }

        if (!secret.Data.TryGetValue(CounterField, out var value))
        {
            throw new InvalidDataException($"{_kvMount}/{key} read through '{datacenter}' has no '{CounterField}' field; something other than a drill writer wrote it.");
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number => value.GetInt64(),
            JsonValueKind.String => long.Parse(value.GetString()!, NumberStyles.Integer, CultureInfo.InvariantCulture),
            _ => throw new InvalidDataException($"{_kvMount}/{key} read through '{datacenter}' holds a {value.ValueKind} '{CounterField}', expected a number."),
        };
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }
    }

    private VaultClient Client(string datacenter) =>
        _clients.TryGetValue(datacenter, out var client)
            ? client
            : throw new ArgumentException($"No datacenter '{datacenter}' in this environment ({string.Join(", ", _clients.Keys)}).", nameof(datacenter));
}
