namespace MultiDcVault.Harness.Infrastructure.Kubernetes;

/// <summary>Which cluster an API or kubectl call talks to: always an explicit kubeconfig file and context, never the user's defaults.</summary>
internal sealed record KubeTarget(string KubeconfigPath, string Context)
{
    public override string ToString() => $"{Context} ({KubeconfigPath})";
}
