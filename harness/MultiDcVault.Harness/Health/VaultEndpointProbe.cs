using MultiDcVault.Harness.Infrastructure.Secrets;
using MultiDcVault.Harness.Infrastructure.Vault;

namespace MultiDcVault.Harness.Health;

/// <summary>
/// The real <see cref="IVaultNodeProbe"/>: one <see cref="VaultClient"/> per datacenter, TLS verified against that
/// cluster's CA, with the root token when it is known (sent only on authenticated endpoints).
/// </summary>
public class VaultEndpointProbe : IVaultNodeProbe, IDisposable
{
    private readonly Dictionary<string, VaultClient> _clients;

    /// <param name="rootToken">Null while bank-vaults has not stored it yet: then only sys/health and sys/leader are read.</param>
    /// <param name="requestTimeout">Per request; keep it short: a paused datacenter never answers, it only times out.</param>
    public VaultEndpointProbe(IReadOnlyList<DatacenterEndpoint> datacenters, SecretValue? rootToken, TimeSpan requestTimeout, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(datacenters);
        ArgumentNullException.ThrowIfNull(timeProvider);
        CanReadClusterState = rootToken is not null;
        Datacenters = [.. datacenters.Select(d => new DatacenterAddress(d.Name, d.LoadBalancerIp))];
        _clients = datacenters.ToDictionary(
            d => d.Name,
            d => new VaultClient(new VaultClientOptions
            {
                Address = d.VaultAddress,
                Token = rootToken,
                Tls = VaultTls.TrustCaPem(d.CaCertificatePem),
                RequestTimeout = requestTimeout,
                TimeProvider = timeProvider,
            }),
            StringComparer.Ordinal);
    }

    /// <inheritdoc/>
    public IReadOnlyList<DatacenterAddress> Datacenters { get; }

    /// <inheritdoc/>
    public bool CanReadClusterState { get; }

    /// <inheritdoc/>
    public Task<VaultHealth> GetHealthAsync(string datacenter, CancellationToken cancellationToken) =>
        Client(datacenter).GetHealthAsync(cancellationToken);

    /// <inheritdoc/>
    public Task<VaultLeader> GetLeaderAsync(string datacenter, CancellationToken cancellationToken) =>
        Client(datacenter).GetLeaderAsync(cancellationToken);

    /// <inheritdoc/>
    public Task<VaultSealStatus> GetSealStatusAsync(string datacenter, CancellationToken cancellationToken) =>
        Client(datacenter).GetSealStatusAsync(cancellationToken);

    /// <inheritdoc/>
    public Task<AutopilotState?> GetAutopilotStateAsync(string datacenter, CancellationToken cancellationToken) =>
        Client(datacenter).GetAutopilotStateAsync(cancellationToken);

    /// <inheritdoc/>
    public Task<RaftConfiguration> GetRaftConfigurationAsync(string datacenter, CancellationToken cancellationToken) =>
        Client(datacenter).GetRaftConfigurationAsync(cancellationToken);

    /// <summary>Disposes every datacenter's Vault client.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Disposes the clients when <paramref name="disposing"/> is true; a subclass overrides it to free its own resources as well.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (!disposing)
        {
            return;
        }

        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }
    }

    /// <summary>The datacenter's client, for subclasses that add calls of their own (the drills' KV counters).</summary>
    private protected VaultClient Client(string datacenter) =>
        _clients.TryGetValue(datacenter, out var client)
            ? client
            : throw new ArgumentException($"No datacenter '{datacenter}' in this environment ({string.Join(", ", _clients.Keys)}).", nameof(datacenter));
}
