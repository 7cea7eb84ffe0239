using MultiDcVault.Harness.Faults;
using MultiDcVault.Harness.Kubectl;

namespace MultiDcVault.Harness.Orchestration;

/// <summary>The faults' <see cref="IStatefulSetScaler"/> over kubectl, with each cluster's own kubeconfig.</summary>
public sealed class KubectlStatefulSetScaler(KubectlCli kubectl, IReadOnlyDictionary<string, KubeTarget> targets) : IStatefulSetScaler
{
    public Task ScaleAsync(string clusterName, string @namespace, string statefulSet, int replicas, CancellationToken cancellationToken)
    {
        if (!targets.TryGetValue(clusterName, out var target))
        {
            throw new ArgumentException($"No cluster '{clusterName}' in this environment ({string.Join(", ", targets.Keys)}).", nameof(clusterName));
        }

        return kubectl.ScaleAsync(target, @namespace, $"statefulset/{statefulSet}", replicas, cancellationToken);
    }
}
