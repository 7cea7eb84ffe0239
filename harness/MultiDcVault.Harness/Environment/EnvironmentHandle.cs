using MultiDcVault.Harness.Health;
using MultiDcVault.Harness.Components.Kms;
using MultiDcVault.Harness.Faults;
using MultiDcVault.Harness.Infrastructure.Secrets;
using MultiDcVault.Harness.Infrastructure.Vault;
using MultiDcVault.Harness.Planning;

namespace MultiDcVault.Harness.Environment;

/// <summary>
/// A running environment: endpoints, the central Vault and what faults and tests need.
/// </summary>
public sealed class EnvironmentHandle(
    EnvironmentPlan plan,
    IReadOnlyList<DatacenterEndpoint> datacenters,
    Uri centralVaultInNetworkAddress,
    Uri centralVaultHostAddress,
    Func<CancellationToken, Task<SecretValue>> readRootToken,
    FaultTopology faultTopology,
    INodeContainers nodeContainers,
    IVaultPods vaultPods,
    string workDirectory,
    TimeProvider timeProvider,
    ICentralVaultSession centralVault)
{
    public EnvironmentPlan Plan { get; } = plan;

    public IReadOnlyList<DatacenterEndpoint> Datacenters { get; } = datacenters;

    public Uri CentralVaultInNetworkAddress { get; } = centralVaultInNetworkAddress;

    public Uri CentralVaultHostAddress { get; } = centralVaultHostAddress;

    public FaultTopology FaultTopology { get; } = faultTopology;

    public INodeContainers NodeContainers { get; } = nodeContainers;

    /// <summary>Reads and deletes each datacenter's Vault pod (the pod-loss fault).</summary>
    public IVaultPods VaultPods { get; } = vaultPods;

    public string WorkDirectory { get; } = workDirectory;

    public TimeProvider TimeProvider { get; } = timeProvider;

    public DatacenterEndpoint Datacenter(string name) =>
        Datacenters.FirstOrDefault(d => d.Name == name)
        ?? throw new ArgumentException($"No datacenter '{name}' in this environment ({string.Join(", ", Datacenters.Select(d => d.Name))}).", nameof(name));

    /// <summary>The Vault root token, read from the central Vault where bank-vaults stored it. Never log it.</summary>
    public Task<SecretValue> ReadRootTokenAsync(CancellationToken cancellationToken) => readRootToken(cancellationToken);

    /// <summary>
    /// A KMS outage: stops the central Vault container (its storage stays on its volume). In-cluster Vaults that are
    /// unsealed keep serving; one that restarts now stays sealed until <see cref="StartCentralVaultAsync"/>.
    /// </summary>
    public Task StopCentralVaultAsync(CancellationToken cancellationToken) => centralVault.StopAsync(cancellationToken);

    /// <summary>Starts the stopped central Vault again at the same address and unseals it; the in-cluster Vaults then unseal by themselves.</summary>
    public Task StartCentralVaultAsync(CancellationToken cancellationToken) => centralVault.StartAgainAsync(cancellationToken);

    /// <summary>A client for one DC's Vault, trusting only that cluster's CA.</summary>
    public VaultClient CreateVaultClient(string datacenter, SecretValue? token, TimeSpan? requestTimeout = null)
    {
        var dc = Datacenter(datacenter);
        return new VaultClient(new VaultClientOptions
        {
            Address = dc.VaultAddress,
            Token = token,
            Tls = VaultTls.TrustCaPem(dc.CaCertificatePem),
            RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(10),
            TimeProvider = TimeProvider,
        });
    }
}
