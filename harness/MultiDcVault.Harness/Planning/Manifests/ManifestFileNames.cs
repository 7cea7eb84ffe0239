namespace MultiDcVault.Harness.Planning.Manifests;

/// <summary>File names of the rendered manifests, in the order they are applied.</summary>
internal static class ManifestFileNames
{
    /// <summary>Input of <c>kind create cluster --config</c>.</summary>
    public const string KindConfig = "kind-config.yaml";

    /// <summary>IPAddressPool + L2Advertisement; apply after the MetalLB webhook is ready.</summary>
    public const string MetalLb = "metallb.yaml";

    /// <summary>Helm values for the vault-operator chart (<c>helm ... -f</c>).</summary>
    public const string OperatorValues = "operator-values.yaml";

    /// <summary>Namespace, ServiceAccount, Role and RoleBinding used by the Vault pod.</summary>
    public const string Rbac = "rbac.yaml";

    /// <summary>The Vault custom resource.</summary>
    public const string Vault = "vault.yaml";

    /// <summary>The leader's CA alone, applied into a follower cluster at run time (not part of `multidc plan`).</summary>
    public const string RaftCaSecret = "raft-ca-secret.yaml";
}
