using MultiDcVault.Harness.Faults;

namespace MultiDcVault.Harness.Environment;

/// <summary>
/// The faults of <see cref="FaultCatalogue"/> for one running environment (<see cref="EnvironmentHandle.Faults"/>).
/// Inject one with <see cref="FaultScope.InjectAsync"/> or <see cref="FaultScope.RunAsync"/>, which heal it even
/// when the test fails; <see cref="HealAllAsync"/> undoes whatever any process left behind.
/// </summary>
public sealed class EnvironmentFaults
{
    private readonly EnvironmentHandle _handle;

    internal EnvironmentFaults(EnvironmentHandle handle) => _handle = handle;

    /// <summary>Cuts <paramref name="datacenter"/> off from the other datacenters (iptables rules on its nodes).</summary>
    public IFault Partition(string datacenter) => new PartitionFault(_handle.NodeContainers, _handle.FaultTopology, datacenter);

    /// <summary>Pauses every node container of <paramref name="datacenter"/>: a power cut that keeps memory.</summary>
    public IFault DatacenterOutage(string datacenter) => new DatacenterOutageFault(_handle.NodeContainers, _handle.FaultTopology, datacenter);

    /// <summary>Adds WAN latency (netem) on the nodes of <paramref name="datacenters"/>, or of every datacenter when null.</summary>
    public IFault Latency(TimeSpan delay, TimeSpan jitter, IReadOnlyList<string>? datacenters = null) =>
        new LatencyFault(_handle.NodeContainers, _handle.FaultTopology, delay, jitter, datacenters);

    /// <summary>Deletes the Vault pod of <paramref name="datacenter"/>; healing waits until its StatefulSet made it Ready again.</summary>
    public IFault PodLoss(string datacenter) =>
        new LeaderPodLossFault(_handle.VaultPods, _handle.FaultTopology, datacenter, _handle.Plan.Options.Namespace, _handle.TimeProvider);

    /// <summary>
    /// Undoes every kind of fault in <see cref="FaultCatalogue.All"/>, in its order, whoever injected it. A failing
    /// step does not stop the others and each tolerates "already healed", so it is safe to repeat.
    /// </summary>
    public Task<IReadOnlyList<HealStep>> HealAllAsync(CancellationToken cancellationToken) =>
        new FullHeal(
            new FaultHealContext(
                _handle.NodeContainers, _handle.VaultPods, _handle.FaultTopology, _handle.Plan.Options.Namespace, _handle.Plan.Network.Name, _handle.CentralVaultPower),
            ExceptionText.OneLine).RunAsync(cancellationToken);
}
