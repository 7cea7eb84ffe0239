using MultiDcVault.Harness.Infrastructure.Kubernetes;
using MultiDcVault.Harness.Planning;

namespace MultiDcVault.Harness.Faults;

/// <summary>The central Vault as a power cycle switches it; the composition adapts the central Vault session to it.</summary>
internal interface ICentralVaultPower
{
    string ContainerName { get; }

    /// <summary>False when Docker picked its address: a restart could move it away from the address every seal stanza names.</summary>
    bool FixedAddress { get; }

    /// <summary>Stops the container; its storage stays on its volume.</summary>
    Task StopAsync(CancellationToken cancellationToken);

    /// <summary>Starts it when stopped (a no-op when it runs) and unseals it; throws when it came back at another address.</summary>
    Task StartAsync(CancellationToken cancellationToken);
}

/// <summary>Each datacenter's Vault Service LoadBalancer IP as its API server reports it now.</summary>
internal interface ILoadBalancerAddresses
{
    /// <summary>The Service's ingress IP; null while it has none or the Service does not exist. Throws when the API server cannot be read (the caller retries).</summary>
    Task<string?> ReadAsync(string datacenter, CancellationToken cancellationToken);
}

/// <summary><see cref="ILoadBalancerAddresses"/> over the Kubernetes API, with each cluster's own kubeconfig.</summary>
internal sealed class KubernetesLoadBalancerAddresses(KubernetesApi api, IReadOnlyDictionary<string, KubeTarget> targets, string @namespace) : ILoadBalancerAddresses
{
    public async Task<string?> ReadAsync(string datacenter, CancellationToken cancellationToken)
    {
        var target = targets.TryGetValue(datacenter, out var found)
            ? found
            : throw new ArgumentException($"No cluster '{datacenter}' in this environment ({string.Join(", ", targets.Keys)}).", nameof(datacenter));
        var service = await api.TryGetServiceAsync(target, @namespace, new ClusterIdentity(datacenter).ServiceName, cancellationToken);
        return service?.LoadBalancerIp();
    }
}
