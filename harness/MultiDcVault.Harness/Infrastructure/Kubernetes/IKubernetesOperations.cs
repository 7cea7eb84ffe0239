using System.Text.Json.Nodes;
using k8s.Models;

namespace MultiDcVault.Harness.Infrastructure.Kubernetes;

/// <summary>
/// The Kubernetes API operations the components use (MetalLB, the Vault CRs, attach, diagnostics), so their
/// ordering can be tested without an API server. <see cref="KubernetesApi"/> is the implementation.
/// </summary>
internal interface IKubernetesOperations
{
    /// <summary>Server-side apply of every object of a (multi-document) manifest, in order.</summary>
    Task ApplyAsync(KubeTarget target, string manifest, CancellationToken cancellationToken);

    /// <summary>Server-side apply of a manifest file (e.g. MetalLB's native manifest from the tool cache).</summary>
    Task ApplyFileAsync(KubeTarget target, string manifestPath, CancellationToken cancellationToken);

    Task WaitForDeploymentAvailableAsync(KubeTarget target, string @namespace, string name, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Waits until at least <paramref name="minimumCount"/> pods match <paramref name="selector"/> and all are Ready.</summary>
    Task<IReadOnlyList<V1Pod>> WaitForPodsReadyAsync(KubeTarget target, string @namespace, string selector, TimeSpan timeout, CancellationToken cancellationToken, int minimumCount = 1);

    /// <summary>Waits until the Service has a LoadBalancer ingress IP (it may not exist yet).</summary>
    Task<string> WaitForLoadBalancerIpAsync(KubeTarget target, string @namespace, string service, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>The Secret, or null when it does not exist.</summary>
    Task<V1Secret?> TryGetSecretAsync(KubeTarget target, string @namespace, string name, CancellationToken cancellationToken);

    /// <summary>The Secret; a KubernetesApiException (NotFound) when it does not exist.</summary>
    Task<V1Secret> GetSecretAsync(KubeTarget target, string @namespace, string name, CancellationToken cancellationToken);

    /// <summary>Pods matching <paramref name="selector"/> in <paramref name="namespace"/>, or in all namespaces when it is null.</summary>
    Task<V1PodList> ListPodsAsync(KubeTarget target, string? @namespace, string selector, CancellationToken cancellationToken);

    /// <summary>The Bank-Vaults Vault resource as the server returned it, or null when absent.</summary>
    Task<JsonObject?> TryGetVaultObjectAsync(KubeTarget target, string @namespace, string name, CancellationToken cancellationToken);

    Task<string> LogsAsync(KubeTarget target, string @namespace, string pod, string? container, int? tail, CancellationToken cancellationToken, bool previous = false);
}
