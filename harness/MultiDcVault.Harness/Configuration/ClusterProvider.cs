namespace MultiDcVault.Harness.Configuration;

/// <summary>Where the datacenters' Kubernetes clusters come from (MULTIDC_PROVIDER).</summary>
internal enum ClusterProvider
{
    /// <summary>Three (or more) kind clusters on one Docker network, created and removed by the harness.</summary>
    Kind,

    /// <summary>Clusters that already exist, one kubeconfig (or context) per datacenter; the harness never creates or deletes them.</summary>
    Existing,
}
