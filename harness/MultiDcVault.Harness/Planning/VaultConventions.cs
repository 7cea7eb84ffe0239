namespace MultiDcVault.Harness.Planning;

/// <summary>
/// Names the rendered manifests rely on and other areas need to find the same objects
/// (the leader's TLS Secret to read the CA from, the MetalLB pool to inspect).
/// </summary>
public static class VaultConventions
{
    /// <summary>ServiceAccount of the Vault pod, created by rbac.yaml.</summary>
    public const string ServiceAccountName = "vault";

    public const string MetalLbNamespace = "metallb-system";

    /// <summary>Where followers' bank-vaults sidecar finds the leader's CA.</summary>
    public const string RaftCaMountPath = "/vault/raft-tls/";

    /// <summary>Value of VAULT_RAFT_CACERT in followers.</summary>
    public const string RaftCaCertFile = "/vault/raft-tls/ca.crt";

    /// <summary>The one key of the operator's TLS Secret a follower may see: the leader's CA certificate.</summary>
    public const string CaCertificateKey = "ca.crt";

    /// <summary>Key of the operator's TLS Secret holding the server certificate (its SANs name the LB IP).</summary>
    public const string ServerCertificateKey = "server.crt";

    /// <summary>Label on Kubernetes objects the harness creates itself (not the operator).</summary>
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";

    /// <summary>Value of <see cref="ManagedByLabel"/>; also the server-side apply field manager.</summary>
    public const string ManagedByValue = "multidc";

    /// <summary>Name of the operator's Service and StatefulSet for a Vault CR: the CR's own name.</summary>
    public static string ServiceName(ClusterPlan cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        return cluster.VaultName;
    }

    /// <summary>The single Vault pod of a cluster: ordinal 0 of the StatefulSet named like the CR (size is 1).</summary>
    public static string PodName(ClusterPlan cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        return $"{cluster.VaultName}-0";
    }

    /// <summary>
    /// The operator stores each Vault's generated CA and server certificate in "&lt;vault name&gt;-tls"
    /// (keys ca.crt, ca.key, server.crt, server.key).
    /// </summary>
    public static string TlsSecretName(ClusterPlan cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        return $"{cluster.VaultName}-tls";
    }

    /// <summary>The leader's TLS Secret: the source of the CA the followers get (never copied whole).</summary>
    public static string LeaderTlsSecretName(EnvironmentPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return TlsSecretName(plan.Leader);
    }

    /// <summary>
    /// The harness's own Secret in every follower cluster holding only the leader's ca.crt; a name the operator
    /// never uses, so the operator's "&lt;vault name&gt;-tls" handling cannot touch it.
    /// </summary>
    public static string RaftCaSecretName(EnvironmentPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return $"{plan.Leader.VaultName}-raft-ca";
    }

    /// <summary>Name of the cluster's IPAddressPool and L2Advertisement.</summary>
    public static string MetalLbPoolName(ClusterPlan cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        return $"{cluster.Name}-pool";
    }
}
