using MultiDcVault.Harness.Configuration;
using MultiDcVault.Harness.Components.Kms;
using MultiDcVault.Harness.Infrastructure.Polling;
using MultiDcVault.Harness.Infrastructure.Kubernetes;
using MultiDcVault.Harness.Infrastructure.Secrets;
using MultiDcVault.Harness.Planning.Manifests;
using MultiDcVault.Harness.Planning;

namespace MultiDcVault.Harness.Components.Vault;

/// <summary>
/// The Vault side of one cluster: RBAC, the Vault CR, and the waits that order the clusters. The
/// operator requeues until the LB has an IP and then regenerates the TLS certificate with it, so the
/// leader's CA is only copied once its server.crt names the LB IP; followers join only after
/// bank-vaults initialised the leader (its root token is in the central Vault).
/// </summary>
internal sealed class VaultDeployer(IKubernetesOperations kube, ManifestRenderer renderer, UpSettings settings, TimeProvider timeProvider)
{
    public Task ApplyRbacAsync(EnvironmentPlan plan, KubeTarget target, CancellationToken cancellationToken) =>
        kube.ApplyAsync(target, renderer.RenderRbac(plan).Content, cancellationToken);

    /// <summary>Applies the Vault CR (it carries the central Vault token: it goes in the request body, never a path, an argument or a file).</summary>
    public Task ApplyVaultAsync(EnvironmentPlan plan, ClusterPlan cluster, KubeTarget target, RuntimeValues values, CancellationToken cancellationToken) =>
        kube.ApplyAsync(target, renderer.RenderVault(plan, cluster, values).Content, cancellationToken);

    public Task<string> WaitForLoadBalancerIpAsync(EnvironmentPlan plan, ClusterPlan cluster, KubeTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(cluster);
        return kube.WaitForLoadBalancerIpAsync(target, plan.Options.Namespace, cluster.Identity.ServiceName, settings.LoadBalancerTimeout, cancellationToken);
    }

    /// <summary>Waits until the cluster's TLS Secret holds a server certificate naming <paramref name="loadBalancerIp"/>; returns its CA (PEM).</summary>
    public async Task<string> WaitForTlsCertificateAsync(EnvironmentPlan plan, ClusterPlan cluster, KubeTarget target, string loadBalancerIp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var secretName = cluster.Identity.TlsSecretName;
        var seen = "the Secret does not exist yet";
        return await Poll.UntilAsync(
            async ct =>
            {
                var secret = await kube.TryGetSecretAsync(target, plan.Options.Namespace, secretName, ct);
                if (secret?.Data is null || !secret.Data.ContainsKey(VaultConventions.CaCertificateKey) || !secret.Data.ContainsKey(VaultConventions.ServerCertificateKey))
                {
                    seen = secret is null ? "the Secret does not exist yet" : $"the Secret lacks {VaultConventions.CaCertificateKey} or {VaultConventions.ServerCertificateKey}";
                    return null;
                }

                var sans = CertificateSans.IpAddresses(secret.GetString(VaultConventions.ServerCertificateKey));
                if (!sans.Any(a => a.ToString() == loadBalancerIp))
                {
                    seen = $"{VaultConventions.ServerCertificateKey} has IP SANs [{string.Join(", ", sans)}] without {loadBalancerIp}";
                    return null;
                }

                return secret.GetString(VaultConventions.CaCertificateKey);
            },
            settings.TlsSecretTimeout,
            settings.PollInterval,
            timeProvider,
            () => $"The operator in {target} did not put LoadBalancer IP {loadBalancerIp} into Secret {plan.Options.Namespace}/{secretName} within {settings.TlsSecretTimeout} ({seen}). " +
                   "Check the vault-operator logs in that cluster; it regenerates the certificate once the Service has an ingress IP.",
            cancellationToken);
    }

    /// <summary>Waits until bank-vaults initialised the leader: the root token appears in the central Vault.</summary>
    public Task<SecretValue> WaitForLeaderInitialisedAsync(ICentralVaultSession centralVault, ClusterPlan leader, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(centralVault);
        return Poll.UntilAsync(
            centralVault.TryReadRootTokenAsync,
            settings.LeaderInitTimeout,
            settings.PollInterval,
            timeProvider,
            () => $"bank-vaults did not initialise the leader {leader.Identity.VaultName} within {settings.LeaderInitTimeout}: no root token in the central Vault " +
                  $"({centralVault.HostAddress}). Check the bank-vaults container logs of pod {leader.Identity.VaultName}-0 in cluster {leader.Name}.",
            cancellationToken);
    }

    /// <summary>
    /// Gives a follower cluster the leader's CA and nothing else: reads ca.crt of the leader's "&lt;vault&gt;-tls"
    /// Secret (which also holds ca.key and server.key) and applies a Secret of the harness's own holding only it.
    /// </summary>
    public async Task CopyLeaderCaAsync(EnvironmentPlan plan, KubeTarget leader, KubeTarget follower, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var source = await kube.GetSecretAsync(leader, plan.Options.Namespace, plan.Leader.Identity.TlsSecretName, cancellationToken);
        var caSecret = renderer.RenderRaftCaSecret(plan, source.GetString(VaultConventions.CaCertificateKey));
        await kube.ApplyAsync(follower, caSecret.Content, cancellationToken);
    }
}
