using MultiDcVault.Harness.Infrastructure.Processes;

namespace MultiDcVault.Harness.Clusters.Kind;

/// <summary>kind refused to create a cluster because one of that name already exists; the harness leaves it alone.</summary>
internal sealed class KindClusterExistsException : Exception
{
    public KindClusterExistsException()
    {
    }

    public KindClusterExistsException(string message)
        : base(message)
    {
    }

    public KindClusterExistsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public KindClusterExistsException(string clusterName, ProcessFailedException innerException)
        : base(
            $"A kind cluster named '{clusterName}' already exists and was not created by this run, so it was left alone. " +
            $"If it is a leftover of yours, remove it with `kind delete cluster --name {clusterName}` (or `multidc down --session <its session>`); " +
            "otherwise pick other cluster names (MULTIDC_CLUSTER_NAMES).",
            innerException)
    {
        ClusterName = clusterName;
    }

    public string? ClusterName { get; }
}
