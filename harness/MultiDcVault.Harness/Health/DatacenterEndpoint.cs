using MultiDcVault.Harness.Planning;

namespace MultiDcVault.Harness.Health;

/// <summary>One datacenter as tests and people reach it.</summary>
/// <param name="VaultAddress">Host-reachable Vault API address: https://LB-IP:8200 on Linux, a port-forward on Docker Desktop.</param>
/// <param name="CaCertificatePem">The cluster's Vault CA (Secret vault-&lt;name&gt;-tls, ca.crt): TLS is verified against it.</param>
/// <param name="NodeContainers">kind node container names of this cluster.</param>
public sealed record DatacenterEndpoint(
    string Name,
    ClusterRole Role,
    string KubeconfigPath,
    string KubeContext,
    string LoadBalancerIp,
    Uri VaultAddress,
    string CaCertificatePem,
    IReadOnlyList<string> NodeContainers)
{
    /// <summary>Every Kubernetes name derived from <see cref="Name"/> (Vault CR, pod, Secrets).</summary>
    internal ClusterIdentity Identity => new(Name);
}
