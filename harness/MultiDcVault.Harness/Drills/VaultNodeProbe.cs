using MultiDcVault.Harness.Health;
using System.Globalization;
using System.Text.Json;
using MultiDcVault.Harness.Environment;
using MultiDcVault.Harness.Infrastructure.Secrets;

namespace MultiDcVault.Harness.Drills;

/// <summary>
/// The Vault access of the drills and E2E tests against a running environment: the Raft transport of
/// <see cref="VaultEndpointProbe"/> (read through <see cref="RaftObserver"/>) authenticated with the root token,
/// plus the sequential writers' KV v2 counters (<see cref="IKvCounterStore"/>).
/// </summary>
public sealed class VaultNodeProbe : VaultEndpointProbe, IKvCounterStore
{
    /// <summary>The KV v2 mount the Vault CRs' externalConfig creates (manifests/vault/vault.yaml).</summary>
    public const string DefaultKvMount = "secret";

    /// <summary>Field of the KV v2 secret holding a writer's counter.</summary>
    public const string CounterField = "counter";

    private readonly string _kvMount;

    /// <param name="requestTimeout">Per request; keep it short: a paused datacenter never answers, it only times out.</param>
    public VaultNodeProbe(EnvironmentHandle handle, SecretValue token, TimeSpan requestTimeout, string kvMount = DefaultKvMount)
        : base(Endpoints(handle), token ?? throw new ArgumentNullException(nameof(token)), requestTimeout, handle.TimeProvider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kvMount);
        _kvMount = kvMount;
    }

    /// <summary>Reads the root token from the central Vault and builds the probe.</summary>
    public static async Task<VaultNodeProbe> CreateAsync(EnvironmentHandle handle, TimeSpan requestTimeout, CancellationToken cancellationToken, string kvMount = DefaultKvMount)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var token = await handle.ReadRootTokenAsync(cancellationToken);
        return new VaultNodeProbe(handle, token, requestTimeout, kvMount);
    }

    /// <inheritdoc/>
    public async Task WriteCounterAsync(string datacenter, string key, long counter, CancellationToken cancellationToken) =>
        await Client(datacenter).WriteKvAsync(_kvMount, key, new Dictionary<string, object?> { [CounterField] = counter }, cancellationToken: cancellationToken);

    /// <inheritdoc/>
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

    private static IReadOnlyList<DatacenterEndpoint> Endpoints(EnvironmentHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        return handle.Datacenters;
    }
}
