namespace MultiDcVault.Harness.Faults;

/// <summary>Scales a StatefulSet in one kind cluster. Orchestration adapts kubectl to this.</summary>
public interface IStatefulSetScaler
{
    /// <param name="clusterName">The datacenter / kind cluster name (the adapter picks its kubeconfig and context).</param>
    Task ScaleAsync(string clusterName, string @namespace, string statefulSet, int replicas, CancellationToken cancellationToken);
}
