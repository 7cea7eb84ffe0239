namespace MultiDcVault.Harness.Planning;

/// <summary>
/// Every name derived from one datacenter's name, in one place: the manifests, the workflows, the faults,
/// the probes and the diagnostics find the same Kubernetes objects through it.
/// </summary>
internal sealed record ClusterIdentity
{
    /// <summary>Creates the identity of the datacenter (cluster) named <paramref name="name"/>.</summary>
    public ClusterIdentity(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
    }

    /// <summary>The datacenter's name: the kind cluster's name and the Vault's Raft node_id.</summary>
    public string Name { get; }

    /// <summary>The Raft node_id the Vault CR sets, so Raft peers read as datacenters.</summary>
    public string RaftNodeId => Name;

    /// <summary>kind names the context it writes into a cluster's kubeconfig "kind-&lt;cluster&gt;".</summary>
    public string KindContext => $"kind-{Name}";

    /// <summary>File name of the cluster's own kubeconfig in the work directory.</summary>
    public string KubeconfigFileName => $"{Name}.kubeconfig";

    /// <summary>The Vault custom resource; the operator names its StatefulSet and Service after it.</summary>
    public string VaultName => $"vault-{Name}";

    /// <summary>The operator's StatefulSet for the Vault CR.</summary>
    public string StatefulSetName => VaultName;

    /// <summary>The operator's LoadBalancer Service for the Vault CR.</summary>
    public string ServiceName => VaultName;

    /// <summary>The datacenter's only Vault pod: ordinal 0 of the StatefulSet (the CRs declare size 1).</summary>
    public string PodName => $"{StatefulSetName}-0";

    /// <summary>
    /// The operator's Secret with this Vault's generated CA and server certificate (keys ca.crt, ca.key,
    /// server.crt, server.key).
    /// </summary>
    public string TlsSecretName => $"{VaultName}-tls";

    /// <summary>
    /// The harness's own Secret, in every follower cluster, holding only this (leader) Vault's ca.crt; a name
    /// the operator never uses, so its "&lt;vault&gt;-tls" handling cannot touch it.
    /// </summary>
    public string RaftCaSecretName => $"{VaultName}-raft-ca";

    /// <summary>The cluster's MetalLB IPAddressPool and L2Advertisement.</summary>
    public string MetalLbPoolName => $"{Name}-pool";

    /// <inheritdoc />
    public override string ToString() => Name;
}
