using k8s;

namespace MultiDcVault.Harness.Infrastructure.Kubernetes;

/// <summary>
/// Builds a client configuration from exactly the named kubeconfig file and context: never $KUBECONFIG,
/// never ~/.kube/config, and the file's own current-context is ignored.
/// </summary>
internal static class KubeconfigLoader
{
    public static KubernetesClientConfiguration Load(KubeTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentException.ThrowIfNullOrEmpty(target.KubeconfigPath);
        ArgumentException.ThrowIfNullOrEmpty(target.Context);
        if (!File.Exists(target.KubeconfigPath))
        {
            throw new FileNotFoundException($"Kubeconfig {target.KubeconfigPath} does not exist.", target.KubeconfigPath);
        }

        // With an explicit path the library reads only that file; KUBECONFIG is read only by BuildDefaultConfig, and a null
        // path would mean ~/.kube/config, which the checks above rule out.
        return KubernetesClientConfiguration.BuildConfigFromConfigFile(target.KubeconfigPath, currentContext: target.Context);
    }
}
