using MultiDcVault.Harness.Components.Vault;
using MultiDcVault.Harness.Environment;
using MultiDcVault.Harness.Infrastructure.Kubernetes;

namespace MultiDcVault.Harness.Scenarios;

/// <summary>The rolling upgrade's image changes for a running environment: the Vault CR of each cluster, through its own kubeconfig.</summary>
internal sealed class EnvironmentScenarioUpgrades(EnvironmentHandle handle) : IScenarioUpgrades, IDisposable
{
    private readonly KubernetesApi _api = new(timeProvider: handle.TimeProvider);

    public string CurrentImage => handle.Plan.Options.VaultImage;

    public async Task PrepareAsync(string image, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        if (handle.LoadImageIntoClusters is { } load)
        {
            await load(image, progress, cancellationToken);
        }
    }

    public async Task RollOutAsync(string datacenter, string image, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var dc = handle.Datacenter(datacenter);
        var rollout = new VaultImageRollout(_api, new VaultImageRolloutOptions(), handle.TimeProvider);
        await rollout.RollOutAsync(
            new VaultImageRolloutRequest(datacenter, new KubeTarget(dc.KubeconfigPath, dc.KubeContext), handle.Plan.Options.Namespace, image),
            progress,
            cancellationToken);
    }

    public void Dispose() => _api.Dispose();
}
