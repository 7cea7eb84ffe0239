using MultiDcVault.Harness.Infrastructure.Kubernetes;

namespace MultiDcVault.Harness.Faults;

/// <summary>The faults' <see cref="IVaultPods"/> over kubectl, with each cluster's own kubeconfig.</summary>
public sealed class KubectlVaultPods(KubectlCli kubectl, IReadOnlyDictionary<string, KubeTarget> targets) : IVaultPods
{
    public async Task<VaultPodState?> GetAsync(string clusterName, string @namespace, string pod, CancellationToken cancellationToken)
    {
        var found = await kubectl.TryGetJsonAsync<KubePod>(Target(clusterName), @namespace, ["pod", pod], cancellationToken);
        return found is null
            ? null
            : new VaultPodState(found.Metadata.Uid ?? string.Empty, found.IsReady, found.Metadata.DeletionTimestamp is not null);
    }

    public Task DeleteAsync(string clusterName, string @namespace, string pod, CancellationToken cancellationToken) =>
        kubectl.DeleteAsync(Target(clusterName), @namespace, $"pod/{pod}", cancellationToken, wait: false);

    private KubeTarget Target(string clusterName) =>
        targets.TryGetValue(clusterName, out var target)
            ? target
            : throw new ArgumentException($"No cluster '{clusterName}' in this environment ({string.Join(", ", targets.Keys)}).", nameof(clusterName));
}
