using MultiDcVault.Harness.Environment;
using MultiDcVault.Harness.Faults;

namespace MultiDcVault.Harness.Scenarios;

/// <summary>The scenarios' faults for a running environment: the catalogue's faults of <see cref="EnvironmentHandle.Faults"/> and the KMS outage.</summary>
internal sealed class EnvironmentScenarioFaults(EnvironmentHandle handle) : IScenarioFaults
{
    public IFault Partition(string datacenter) => handle.Faults.Partition(datacenter);

    public IFault Outage(string datacenter) => handle.Faults.DatacenterOutage(datacenter);

    public IFault PodLoss(string datacenter) => handle.Faults.PodLoss(datacenter);

    public IFault Latency(TimeSpan delay, TimeSpan jitter) => handle.Faults.Latency(delay, jitter);

    public IFault KmsOutage() => new KmsOutageFault(handle.CentralVaultPower);

    public IPowerCycle PowerCycle() => handle.Power;

    public async Task<bool> VaultRunningAsync(string datacenter, CancellationToken cancellationToken)
    {
        var dc = handle.Datacenter(datacenter);
        try
        {
            return (await handle.VaultPods.GetAsync(datacenter, handle.Plan.Options.Namespace, dc.Identity.PodName, cancellationToken))?.VaultRunning == true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return false; // the API server of a node that just booted is not back yet
        }
    }

    public void NodeAddressesMoved(IReadOnlyList<NodeAddressDrift> moved) => handle.UseNodeAddresses(moved);
}
