using MultiDcVault.Harness.Topology;

namespace MultiDcVault.Harness.Manifests;

/// <summary>
/// Names the rendered manifests rely on and other areas need to find the same objects
/// (the leader's TLS Secret to copy, the MetalLB pool to inspect).
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

    /// <summary>The operator stores each Vault's generated CA and server cert in "&lt;vault name&gt;-tls".</summary>
    public static string TlsSecretName(ClusterPlan cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        return $"{cluster.VaultName}-tls";
    }

    /// <summary>
    /// The leader's TLS Secret, which orchestration copies under the same name into every
    /// follower cluster (without ownerReferences, resourceVersion and uid).
    /// </summary>
    public static string LeaderTlsSecretName(EnvironmentPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return TlsSecretName(plan.Leader);
    }

    /// <summary>Name of the cluster's IPAddressPool and L2Advertisement.</summary>
    public static string MetalLbPoolName(ClusterPlan cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        return $"{cluster.Name}-pool";
    }
}
