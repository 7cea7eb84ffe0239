using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography;
using MultiDcVault.Harness.Components.Vault;
using MultiDcVault.Harness.Environment.State;
using MultiDcVault.Harness.Infrastructure.Kubernetes;
using MultiDcVault.Harness.Planning;

namespace MultiDcVault.Harness.Environment.Attach;

/// <summary>
/// Attaches to an environment an earlier process brought up: state.json says what exists (with each cluster's LB IP
/// and Vault CA, so no Kubernetes API call is needed: a paused datacenter does not answer), secrets.json how to use
/// the central Vault. Returns null (never creates or replaces anything) when the state is
/// missing, the environment never finished coming up, or a cluster is gone; a central Vault that is gone,
/// stopped or lost its storage is a <see cref="Components.Kms.CentralVaultUnavailableException"/> saying so.
/// </summary>
internal sealed class EnvironmentAttacher(EnvironmentParts parts, VaultHostAccess hostAccess)
{
    /// <param name="startStoppedCentralVault">
    /// For the full heal only: start a stopped central Vault container first (attaching needs its API). Every other command leaves it
    /// as it is and reports it stopped.
    /// </param>
    public async Task<EnvironmentHandle?> TryAttachAsync(CancellationToken cancellationToken, bool startStoppedCentralVault = false)
    {
        var state = await parts.Store.ReadAsync(cancellationToken);
        if (state is null || state.Status != EnvironmentState.StatusUp || state.Clusters.Count == 0)
        {
            return null;
        }

        var secrets = await parts.Store.ReadSecretsAsync(cancellationToken);
        if (secrets is null)
        {
            return null;
        }

        foreach (var cluster in state.Clusters)
        {
            if ((await parts.Clusters.FindNodesAsync(cluster.Name, cancellationToken)).Count == 0 || cluster.LoadBalancerIp is null)
            {
                return null;
            }
        }

        if (startStoppedCentralVault)
        {
            await parts.Ports.CentralVaults.StartIfStoppedAsync(cancellationToken);
        }

        // Throws CentralVaultUnavailableException (one line, what to run) when it exists but cannot be used.
        var centralVault = await parts.Ports.CentralVaults.AttachAsync(secrets, cancellationToken);

        var plan = EnvironmentHandleBuilder.PlanFrom(parts.Options, state);
        var ready = new List<ReadyCluster>();
        foreach (var (cluster, clusterPlan) in state.Clusters.Zip(plan.Clusters))
        {
            var ca = cluster.CaCertificatePem is { } recorded && !RenewalIsNear(recorded)
                ? recorded
                : await TryReadCaAsync(cluster, clusterPlan, plan.Options.Namespace, cancellationToken) ?? cluster.CaCertificatePem;
            if (ca is null)
            {
                return null;
            }

            ready.Add(new ReadyCluster(clusterPlan, cluster.KubeconfigPath, cluster.KubeContext, cluster.LoadBalancerIp!, ca));
        }

        return await new EnvironmentHandleBuilder(parts, hostAccess).BuildAsync(plan, ready, centralVault, cancellationToken);
    }

    /// <summary>
    /// The operator issues its CA for 8760 h and makes a new one once less than tlsExpiryThreshold (168 h) is left
    /// (bank-vaults/vault-operator v1.24.0 vault_controller.go populateTLSSecret): from 8 days before expiry the recorded
    /// CA may be stale, so the Secret is read instead. An unreadable recorded CA is read again too.
    /// </summary>
    private bool RenewalIsNear(string caPem)
    {
        try
        {
            using var certificate = X509Certificate2.CreateFromPem(caPem);
            return certificate.NotAfter.ToUniversalTime() - parts.Time.GetUtcNow().UtcDateTime < TimeSpan.FromDays(8);
        }
        catch (CryptographicException)
        {
            return true;
        }
    }

    /// <summary>For a state written before the CA was recorded, or a CA near its renewal: read it from the cluster's TLS Secret.</summary>
    private async Task<string?> TryReadCaAsync(ClusterState cluster, ClusterPlan clusterPlan, string ns, CancellationToken cancellationToken)
    {
        var secret = await parts.Kubernetes.TryGetSecretAsync(parts.Target(cluster), ns, clusterPlan.Identity.TlsSecretName, cancellationToken);
        return secret?.Data is not null && secret.Data.ContainsKey(VaultConventions.CaCertificateKey) ? secret.GetString(VaultConventions.CaCertificateKey) : null;
    }
}
