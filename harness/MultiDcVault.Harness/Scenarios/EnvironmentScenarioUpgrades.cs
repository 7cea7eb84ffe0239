using MultiDcVault.Harness.Components.Vault;
using MultiDcVault.Harness.Environment;
using MultiDcVault.Harness.Infrastructure.Kubernetes;

namespace MultiDcVault.Harness.Scenarios;

/// <summary>The rolling upgrade's image changes for a running environment: the Vault CR of each cluster, through its own kubeconfig.</summary>
internal sealed class EnvironmentScenarioUpgrades(EnvironmentHandle handle) : IScenarioUpgrades, IDisposable
{
    private readonly KubernetesApi _api = new(timeProvider: handle.TimeProvider);

    public async Task<string> CurrentImageAsync(CancellationToken cancellationToken)
    {
        var images = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var dc in handle.Datacenters)
        {
            var vault = await _api.TryGetVaultObjectAsync(new KubeTarget(dc.KubeconfigPath, dc.KubeContext), handle.Plan.Options.Namespace, dc.Identity.VaultName, cancellationToken)
                ?? throw new InvalidOperationException($"Vault {handle.Plan.Options.Namespace}/{dc.Identity.VaultName} does not exist in {dc.Name}; run 'multidc status'.");
            images[dc.Name] = vault["spec"]?["image"]?.GetValue<string>()
                ?? throw new InvalidOperationException($"Vault {dc.Identity.VaultName} in {dc.Name} names no spec.image.");
        }

        var distinct = images.Values.Distinct(StringComparer.Ordinal).ToList();
        return distinct.Count == 1
            ? distinct[0]
            : throw new InvalidOperationException(
                "The datacenters run different Vault images (" + string.Join(", ", images.Select(i => $"{i.Key}: {i.Value}")) +
                "): an upgrade stopped half-way. Finish it with 'multidc scenario run rolling-upgrade --to-vault-image IMAGE'.");
    }

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
