using MultiDcVault.Harness.Infrastructure.Kubernetes;

namespace MultiDcVault.Harness.Faults;

/// <summary>The faults' <see cref="IVaultPods"/> over the Kubernetes API, with each cluster's own kubeconfig.</summary>
internal sealed class KubernetesVaultPods(KubernetesApi api, IReadOnlyDictionary<string, KubeTarget> targets) : IVaultPods
{
    /// <summary>The Vault server's container in the operator's StatefulSet (vault-operator v1.24.0 vault_controller.go).</summary>
    public const string VaultContainer = "vault";

    public async Task<VaultPodState?> GetAsync(string clusterName, string @namespace, string pod, CancellationToken cancellationToken)
    {
        var found = await api.TryGetPodAsync(Target(clusterName), @namespace, pod, cancellationToken);
        return found is null
            ? null
            : new VaultPodState(
                found.Metadata.Uid ?? string.Empty,
                found.IsReady(),
                found.Metadata.DeletionTimestamp is not null,
                found.Status?.ContainerStatuses?.Any(c => c.Name == VaultContainer && c.State?.Running is not null) == true);
    }

    /// <summary>Returns before the pod is gone: the fault watches the StatefulSet recreate it.</summary>
    public Task DeleteAsync(string clusterName, string @namespace, string pod, CancellationToken cancellationToken) =>
        api.DeletePodAsync(Target(clusterName), @namespace, pod, cancellationToken);

    private KubeTarget Target(string clusterName) =>
        targets.TryGetValue(clusterName, out var target)
            ? target
            : throw new ArgumentException($"No cluster '{clusterName}' in this environment ({string.Join(", ", targets.Keys)}).", nameof(clusterName));
}
