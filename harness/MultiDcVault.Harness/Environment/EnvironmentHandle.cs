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
public sealed class EnvironmentHandle
{
    private readonly Func<CancellationToken, Task<SecretValue>> _readRootToken;
    private readonly ICentralVaultSession _centralVault;

    internal EnvironmentHandle(
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
        ICentralVaultSession centralVault,
        ILoadBalancerAddresses loadBalancers)
    {
        Plan = plan;
        Datacenters = datacenters;
        CentralVaultInNetworkAddress = centralVaultInNetworkAddress;
        CentralVaultHostAddress = centralVaultHostAddress;
        _readRootToken = readRootToken;
        FaultTopology = faultTopology;
        NodeContainers = nodeContainers;
        VaultPods = vaultPods;
        WorkDirectory = workDirectory;
        TimeProvider = timeProvider;
        _centralVault = centralVault;
        CentralVaultPower = new CentralVaultPower(centralVault);
        LoadBalancers = loadBalancers;
        Faults = new EnvironmentFaults(this);
        Power = CreatePower();
    }

    /// <summary>The faults this environment can be given, and the heal that undoes all of them.</summary>
    public EnvironmentFaults Faults { get; }

    /// <summary>The datacenters in plan order; the first is the Raft bootstrap leader.</summary>
    public IReadOnlyList<DatacenterEndpoint> Datacenters { get; }

    /// <summary>The central Vault (the transit KMS) as the clusters reach it on the shared Docker network.</summary>
    public Uri CentralVaultInNetworkAddress { get; }

    /// <summary>The central Vault as this process reaches it.</summary>
    public Uri CentralVaultHostAddress { get; }

    /// <summary>The session's work directory: state, kubeconfigs, reports and diagnostics bundles.</summary>
    public string WorkDirectory { get; }

    /// <summary>The clock every wait, drill and report of this environment uses.</summary>
    public TimeProvider TimeProvider { get; }

    internal EnvironmentPlan Plan { get; }

    internal FaultTopology FaultTopology { get; private set; }

    internal INodeContainers NodeContainers { get; }

    /// <summary>
    /// Makes an image available in every cluster as <c>up</c> does (pull on the host when the engine lacks it, then load it
    /// into each cluster's nodes), so a rolling upgrade does not depend on the nodes reaching a registry. Null where the
    /// handle was not built from a running environment (tests).
    /// </summary>
    internal Func<string, IProgress<string>?, CancellationToken, Task>? LoadImageIntoClusters { get; init; }

    /// <summary>Reads and deletes each datacenter's Vault pod (the pod-loss fault).</summary>
    internal IVaultPods VaultPods { get; }

    /// <summary>
    /// The power cycle of the whole environment: stop every node container and the central Vault at once, start them in a
    /// <see cref="PowerCycleVariant"/>'s order, and check that node and LB addresses are what they were (one line when not).
    /// </summary>
    internal PowerCycleFault Power { get; private set; }

    /// <summary>Stops and starts the central Vault for the power cycle and the full heal.</summary>
    internal ICentralVaultPower CentralVaultPower { get; }

    /// <summary>Each datacenter's Vault Service LB IP, read from its API server now.</summary>
    internal ILoadBalancerAddresses LoadBalancers { get; }

    /// <summary>
    /// A power cycle moved node addresses (Docker gives a restarted container the lowest free address; kind rewrites a
    /// single control-plane node's own address on start): faults built from now on, and the next power cycle's check,
    /// use the new ones. A drift to no address (a node that is not running) changes nothing.
    /// </summary>
    internal void UseNodeAddresses(IReadOnlyList<NodeAddressDrift> moved)
    {
        ArgumentNullException.ThrowIfNull(moved);
        string? Moved(string container, string? address) =>
            moved.FirstOrDefault(m => m.Container == container && m.Before == address && m.After is not null)?.After ?? address;
        FaultTopology = FaultTopology with
        {
            Datacenters = [.. FaultTopology.Datacenters.Select(dc => dc with
            {
                Nodes = [.. dc.Nodes.Select(n => n with { IPv4Address = Moved(n.ContainerName, n.IPv4Address), IPv6Address = Moved(n.ContainerName, n.IPv6Address) })],
            })],
        };
        Power = CreatePower();
    }

    /// <summary>The datacenter of that name; throws naming the ones there are.</summary>
    public DatacenterEndpoint Datacenter(string name) =>
        Datacenters.FirstOrDefault(d => d.Name == name)
        ?? throw new ArgumentException($"No datacenter '{name}' in this environment ({string.Join(", ", Datacenters.Select(d => d.Name))}).", nameof(name));

    private PowerCycleFault CreatePower() => new(
        NodeContainers,
        FaultTopology,
        Plan.Network.Name,
        [.. Datacenters.Select(d => new LoadBalancerAddressRecord(d.Name, d.LoadBalancerIp))],
        CentralVaultPower,
        LoadBalancers,
        TimeProvider);

    /// <summary>The Vault root token, read from the central Vault where bank-vaults stored it. Never log it.</summary>
    public Task<SecretValue> ReadRootTokenAsync(CancellationToken cancellationToken) => _readRootToken(cancellationToken);

    /// <summary>
    /// A KMS outage: stops the central Vault container (its storage stays on its volume). In-cluster Vaults that are
    /// unsealed keep serving; one that restarts now stays sealed until <see cref="StartCentralVaultAsync"/>.
    /// </summary>
    public Task StopCentralVaultAsync(CancellationToken cancellationToken) => _centralVault.StopAsync(cancellationToken);

    /// <summary>Starts the stopped central Vault again at the same address and unseals it; the in-cluster Vaults then unseal by themselves.</summary>
    public Task StartCentralVaultAsync(CancellationToken cancellationToken) => _centralVault.StartAgainAsync(cancellationToken);

    /// <summary>A client for one DC's Vault, trusting only that cluster's CA.</summary>
    internal VaultClient CreateVaultClient(string datacenter, SecretValue? token, TimeSpan? requestTimeout = null)
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
