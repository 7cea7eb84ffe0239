namespace MultiDcVault.Harness.Faults;

/// <summary>One pod as the faults see it: its identity (a recreated pod has a new UID), readiness, and whether its vault container runs (sealed or not).</summary>
internal sealed record VaultPodState(string Uid, bool Ready, bool Terminating, bool VaultRunning = false);

/// <summary>Reads and deletes the Vault pod of one kind cluster. Orchestration adapts kubectl to this.</summary>
internal interface IVaultPods
{
    /// <param name="clusterName">The datacenter / kind cluster name (the adapter picks its kubeconfig and context).</param>
    /// <returns>The pod, or null when it does not exist.</returns>
    Task<VaultPodState?> GetAsync(string clusterName, string @namespace, string pod, CancellationToken cancellationToken);

    /// <summary>Starts a normal (graceful) deletion and returns without waiting for the pod to terminate; absent is fine.</summary>
    Task DeleteAsync(string clusterName, string @namespace, string pod, CancellationToken cancellationToken);
}
