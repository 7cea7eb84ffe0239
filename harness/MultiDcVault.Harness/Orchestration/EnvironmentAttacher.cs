using MultiDcVault.Harness.Kubectl;
using MultiDcVault.Harness.Manifests;

namespace MultiDcVault.Harness.Orchestration;

/// <summary>
/// Attaches to an environment an earlier process brought up: state.json says what exists, secrets.json
/// how to use the central Vault. Returns null (never creates or replaces anything) when the state is
/// missing, the environment never finished coming up, or a cluster is gone; a central Vault that is gone,
/// stopped or lost its storage is a <see cref="Vault.CentralVaultUnavailableException"/> saying so.
/// </summary>
internal sealed class EnvironmentAttacher(EnvironmentParts parts, VaultHostAccess hostAccess)
{
    public async Task<EnvironmentHandle?> TryAttachAsync(CancellationToken cancellationToken)
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
            if ((await parts.Docker.FindKindNodesAsync(cluster.Name, cancellationToken)).Count == 0 || cluster.LoadBalancerIp is null)
            {
                return null;
            }
        }

        // Throws CentralVaultUnavailableException (one line, what to run) when it exists but cannot be used.
        var centralVault = await parts.Ports.CentralVaults.AttachAsync(secrets, cancellationToken);

        var plan = EnvironmentHandleBuilder.PlanFrom(parts.Options, state);
        var ready = new List<ReadyCluster>();
        foreach (var (cluster, clusterPlan) in state.Clusters.Zip(plan.Clusters))
        {
            var secret = await parts.Kubectl.TryGetJsonAsync<KubeSecret>(
                parts.Target(cluster), plan.Options.Namespace, ["secret", VaultConventions.TlsSecretName(clusterPlan)], cancellationToken);
            if (secret?.Data is null || !secret.Data.ContainsKey(VaultDeployer.CaKey))
            {
                return null;
            }

            ready.Add(new ReadyCluster(clusterPlan, cluster.KubeconfigPath, cluster.KubeContext, cluster.LoadBalancerIp!, secret.GetString(VaultDeployer.CaKey)));
        }

        return await new EnvironmentHandleBuilder(parts, hostAccess).BuildAsync(plan, ready, centralVault, cancellationToken);
    }
}
