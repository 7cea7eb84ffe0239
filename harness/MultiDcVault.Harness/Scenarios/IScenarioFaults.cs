using MultiDcVault.Harness.Faults;

namespace MultiDcVault.Harness.Scenarios;

/// <summary>The faults the scenarios inject, built for the running environment (or scripted in tests).</summary>
internal interface IScenarioFaults
{
    IFault Partition(string datacenter);

    IFault Outage(string datacenter);

    IFault PodLoss(string datacenter);

    /// <summary>WAN latency on every datacenter's nodes.</summary>
    IFault Latency(TimeSpan delay, TimeSpan jitter);

    IFault KmsOutage();

    /// <summary>Every node container and the central Vault stopped at once and started again.</summary>
    IPowerCycle PowerCycle();

    /// <summary>True when the datacenter's Vault container runs (sealed or not): a Vault process that can ask its KMS.</summary>
    Task<bool> VaultRunningAsync(string datacenter, CancellationToken cancellationToken);

    /// <summary>A power cycle moved these node addresses: later faults must use the new ones.</summary>
    void NodeAddressesMoved(IReadOnlyList<NodeAddressDrift> moved);
}
