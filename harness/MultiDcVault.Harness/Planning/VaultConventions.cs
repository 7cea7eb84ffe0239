namespace MultiDcVault.Harness.Planning;

/// <summary>
/// Fixed names and paths the rendered manifests rely on; per-cluster names come from <see cref="ClusterIdentity"/>.
/// </summary>
internal static class VaultConventions
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
}
