namespace MultiDcVault.Harness.Faults;

/// <summary>
/// The Raft leader's Vault pod disappears: the StatefulSet vault-&lt;dc&gt; of the datacenter
/// hosting the leader is scaled to 0. The vault-operator reconciles the StatefulSet back to the
/// CR's size, so this behaves as "leader pod killed and later rescheduled", not as a
/// permanent loss; heal scales back to 1 (one Vault pod per cluster, as the CRs declare).
/// </summary>
public sealed class LeaderPodLossFault : IFault
{
    private readonly IStatefulSetScaler _scaler;
    private readonly string _namespace;

    public LeaderPodLossFault(IStatefulSetScaler scaler, FaultTopology topology, string leaderDatacenter, string @namespace)
    {
        ArgumentNullException.ThrowIfNull(scaler);
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentException.ThrowIfNullOrWhiteSpace(@namespace);
        _scaler = scaler;
        _namespace = @namespace;
        Datacenter = topology.Datacenter(leaderDatacenter);
    }

    public FaultDatacenter Datacenter { get; }

    public string Description => $"leader-pod-loss({Datacenter.Name})";

    public Task InjectAsync(CancellationToken cancellationToken) =>
        _scaler.ScaleAsync(Datacenter.Name, _namespace, Datacenter.VaultStatefulSet, 0, cancellationToken);

    public Task HealAsync(CancellationToken cancellationToken) =>
        _scaler.ScaleAsync(Datacenter.Name, _namespace, Datacenter.VaultStatefulSet, 1, cancellationToken);
}
