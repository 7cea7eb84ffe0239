using System.Net.Sockets;
using System.Net;
using System.Text;
using MultiDcVault.Harness.Configuration;

namespace MultiDcVault.Harness.Planning.Manifests;

/// <summary>
/// Renders the /manifests templates for one cluster of a plan. Pure: no I/O besides
/// reading embedded templates, so `multidc plan` can show exactly what `up` applies.
/// </summary>
internal sealed class ManifestRenderer
{
    private const string RaftLeaderSelf = "self";

    /// <summary>
    /// Everything applied to one cluster, in apply order. Existing clusters get no kind config and no MetalLB objects
    /// (their own load balancers serve the Services), and no operator values when one is already installed.
    /// </summary>
    public IReadOnlyList<RenderedManifest> RenderCluster(EnvironmentPlan plan, ClusterPlan cluster, RuntimeValues values)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return plan.Options.Provider == ClusterProvider.Existing
            ?
            [
                .. plan.Options.OperatorInstalled ? Array.Empty<RenderedManifest>() : [RenderOperatorValues(plan)],
                RenderRbac(plan),
                RenderVault(plan, cluster, values),
            ]
            :
            [
                RenderKindConfig(plan, cluster),
                RenderMetalLb(plan, cluster),
                RenderOperatorValues(plan),
                RenderRbac(plan),
                RenderVault(plan, cluster, values),
            ];
    }

    /// <summary>kind cluster config: the cluster name and one control-plane node on the pinned image.</summary>
    public RenderedManifest RenderKindConfig(EnvironmentPlan plan, ClusterPlan cluster)
    {
        CheckMember(plan, cluster);
        return Render(ManifestFileNames.KindConfig, ManifestTemplate.Load("kind/cluster.yaml"), new Dictionary<string, TemplateValue>
        {
            ["clusterName"] = TemplateValue.Text(cluster.Name),
            ["kindNodeImage"] = TemplateValue.Text(plan.Options.KindNodeImage),
        });
    }

    /// <summary>The cluster's MetalLB IPAddressPool (exactly its planned address pools) and L2Advertisement.</summary>
    public RenderedManifest RenderMetalLb(EnvironmentPlan plan, ClusterPlan cluster)
    {
        CheckMember(plan, cluster);
        if (cluster.AddressPools.Count == 0 || cluster.AddressPools.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException(
                $"Cluster '{cluster.Name}' has no usable MetalLB address pools ([{string.Join(", ", cluster.AddressPools)}]). " +
                "The topology planner must give every cluster at least one range.", nameof(cluster));
        }

        return Render(ManifestFileNames.MetalLb, ManifestTemplate.Load("metallb/pool.yaml"), new Dictionary<string, TemplateValue>
        {
            ["poolName"] = TemplateValue.Text(cluster.Identity.MetalLbPoolName),
            ["addressPools"] = TemplateValue.List(cluster.AddressPools),
        });
    }

    /// <summary>Helm values for the vault-operator chart (image and pull policy).</summary>
    public RenderedManifest RenderOperatorValues(EnvironmentPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var (repository, tag) = ImageReference.Split(plan.Options.OperatorImage);
        return Render(ManifestFileNames.OperatorValues, ManifestTemplate.Load("operator/values.yaml"), new Dictionary<string, TemplateValue>
        {
            ["operatorRepository"] = TemplateValue.Text(repository),
            ["operatorTag"] = TemplateValue.Text(tag),

            // kind: up loads the operator image into every node (a released one after one pull on the host),
            // so a node never pulls it: a locally built image exists nowhere else, and a node's own pull
            // would repeat the host's against the registry's rate limits. Existing clusters: nothing is loaded,
            // their nodes pull it.
            ["operatorPullPolicy"] = TemplateValue.Text(plan.Options.Provider == ClusterProvider.Existing ? "IfNotPresent" : "Never"),
        });
    }

    /// <summary>Namespace, ServiceAccount "vault", Role and RoleBinding for the Vault pod.</summary>
    public RenderedManifest RenderRbac(EnvironmentPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return Render(ManifestFileNames.Rbac, ManifestTemplate.Load("vault/rbac.yaml"), new Dictionary<string, TemplateValue>
        {
            ["namespace"] = TemplateValue.Text(plan.Options.Namespace),
        });
    }

    /// <summary>
    /// The Vault CR alone: orchestration applies the leader's first, then the followers'
    /// once the leader's LB IP and TLS Secret exist.
    /// </summary>
    public RenderedManifest RenderVault(EnvironmentPlan plan, ClusterPlan cluster, RuntimeValues values)
    {
        CheckMember(plan, cluster);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentException.ThrowIfNullOrWhiteSpace(values.UnsealKeysPath, nameof(values));
        ArgumentException.ThrowIfNullOrWhiteSpace(values.TransitKeyName, nameof(values));
        ArgumentException.ThrowIfNullOrWhiteSpace(values.TransitMountPath, nameof(values));

        var options = plan.Options;
        var isLeader = cluster.Role == ClusterRole.Leader;
        var centralAddress = CentralVaultAddress(values.CentralVaultAddress);

        var template = ManifestTemplate.Load("vault/vault.yaml");
        if (!isLeader)
        {
            template.Merge(ManifestTemplate.Load("vault/follower-raft-ca.yaml"));
        }

        if (options.UnsealMode == UnsealMode.Transit)
        {
            template.Merge(ManifestTemplate.Load("vault/transit-seal.yaml"));
        }

        var annotations = options.ServiceAnnotations.GetValueOrDefault(cluster.Name);
        if (annotations is { Count: > 0 })
        {
            template.Merge(ManifestTemplate.Load("vault/service-annotations.yaml"));
        }

        return Render(ManifestFileNames.Vault, template, new Dictionary<string, TemplateValue>
        {
            ["vaultName"] = TemplateValue.Text(cluster.Identity.VaultName),
            ["namespace"] = TemplateValue.Text(options.Namespace),
            ["vaultImage"] = TemplateValue.Text(options.VaultImage),
            ["bankVaultsImage"] = TemplateValue.Text(options.BankVaultsImage),
            ["raftLeaderAddress"] = TemplateValue.Text(isLeader ? RaftLeaderSelf : LeaderAddress(values.LeaderLoadBalancerIp, options.Provider)),
            ["serviceAnnotations"] = TemplateValue.Map(annotations ?? new Dictionary<string, string>()),
            ["nodeId"] = TemplateValue.Text(cluster.Identity.RaftNodeId),
            ["raftPerformanceMultiplier"] = TemplateValue.Integer(options.RaftPerformanceMultiplier),
            ["centralVaultAddress"] = TemplateValue.Text(centralAddress),
            ["centralVaultToken"] = TemplateValue.Text(values.CentralVaultToken?.Reveal() ?? RuntimeValues.UnknownCentralVaultToken),
            ["unsealKeysPath"] = TemplateValue.Text(values.UnsealKeysPath),
            ["transitKeyName"] = TemplateValue.Text(values.TransitKeyName),
            ["transitMountPath"] = TemplateValue.Text(values.TransitMountPath),
            ["raftCaSecret"] = TemplateValue.Text(plan.Leader.Identity.RaftCaSecretName),
        });
    }

    /// <summary>
    /// The follower's copy of the leader's CA: a Secret with the single key ca.crt. Refuses anything that is not
    /// a certificate, so key material can never be sent to a follower by mistake.
    /// </summary>
    public RenderedManifest RenderRaftCaSecret(EnvironmentPlan plan, string caCertificatePem)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentException.ThrowIfNullOrWhiteSpace(caCertificatePem);
        if (!caCertificatePem.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal) ||
            caCertificatePem.Contains("PRIVATE KEY", StringComparison.Ordinal))
        {
            // The text itself is not echoed: it might be the key material this check keeps out.
            throw new ArgumentException(
                $"The leader's {VaultConventions.CaCertificateKey} is not a PEM certificate (or carries a private key); refusing to copy it to the followers.",
                nameof(caCertificatePem));
        }

        return Render(ManifestFileNames.RaftCaSecret, ManifestTemplate.Load("vault/raft-ca-secret.yaml"), new Dictionary<string, TemplateValue>
        {
            ["raftCaSecret"] = TemplateValue.Text(plan.Leader.Identity.RaftCaSecretName),
            ["namespace"] = TemplateValue.Text(plan.Options.Namespace),
            ["managedBy"] = TemplateValue.Text(VaultConventions.ManagedByValue),
            ["caCertificateBase64"] = TemplateValue.Text(Convert.ToBase64String(Encoding.UTF8.GetBytes(caCertificatePem))),
        });
    }

    private static RenderedManifest Render(string fileName, ManifestTemplate template, Dictionary<string, TemplateValue> values) =>
        new(fileName, template.Bind(values).Emit());

    private static void CheckMember(EnvironmentPlan plan, ClusterPlan cluster)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(cluster);
        // By name: ClusterPlan records compare their pool lists by reference.
        if (!plan.Clusters.Any(c => c.Name == cluster.Name && c.Role == cluster.Role))
        {
            throw new ArgumentException(
                $"Cluster '{cluster.Name}' is not part of the plan (clusters: {string.Join(", ", plan.Clusters.Select(c => c.Name))}). " +
                "Render with a ClusterPlan taken from the same EnvironmentPlan.", nameof(cluster));
        }
    }

    /// <remarks>
    /// Existing clusters: a cloud LB often gives a hostname, not an IP. vault-operator v1.24.0 supports that: bank-vaults
    /// joins "&lt;scheme&gt;://&lt;raftLeaderAddress&gt;:8200" (pkg/controller/vault/vault_controller.go statefulSetForVault), a
    /// plain string; the operator waits for an LB ingress IP or hostname, puts both into the generated certificate's hosts
    /// (loadBalancerIngressPoints, hostsAndIPsForVault) and sets VAULT_CLUSTER_ADDR/VAULT_API_ADDR to the last of them
    /// (withClusterAddr). So a hostname needs nothing extra in the CR; the LB must forward 8200 and 8201 (the Service's ports).
    /// </remarks>
    private static string LeaderAddress(string? leaderIp, ClusterProvider provider)
    {
        if (string.IsNullOrWhiteSpace(leaderIp))
        {
            return provider == ClusterProvider.Existing ? RuntimeValues.UnknownLeaderLoadBalancerAddress : RuntimeValues.UnknownLeaderLoadBalancerIp;
        }

        // The operator builds "https://<address>:8200" without brackets, so an IPv6 literal cannot work.
        if (IPAddress.TryParse(leaderIp, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6)
        {
            throw new ArgumentException(
                $"Leader LoadBalancer IP '{leaderIp}' is IPv6, but the operator appends ':8200' to raftLeaderAddress without brackets. " +
                "Use the Service's IPv4 ingress IP.", nameof(leaderIp));
        }

        return leaderIp.Trim();
    }

    private static string CentralVaultAddress(string? address)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            return RuntimeValues.UnknownCentralVaultAddress;
        }

        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException(
                $"Central Vault address '{address}' is not an http(s) URL. Pass it as the clusters reach it, e.g. http://172.18.0.2:8200.",
                nameof(address));
        }

        return address.Trim();
    }
}
