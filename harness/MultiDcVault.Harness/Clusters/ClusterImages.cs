using MultiDcVault.Harness.Configuration;

namespace MultiDcVault.Harness.Clusters;

/// <summary>
/// Every image a cluster runs beyond what the kind node image ships, grouped by the step that first
/// needs it. Up pulls each distinct one once on the host and `kind load`s each group into every
/// cluster before that step, so no node ever pulls:
/// <list type="bullet">
/// <item>MetalLB: metallb/metallb config/manifests/metallb-native.yaml (v0.16.x) runs two images,
/// quay.io/metallb/controller and quay.io/metallb/speaker at the release's tag, and sets no
/// imagePullPolicy, so Kubernetes defaults it to IfNotPresent for a non-latest tag (no FRR images:
/// those are in metallb-frr.yaml).</item>
/// <item>Operator: the chart's Deployment runs only image.repository:image.tag with image.pullPolicy
/// (bank-vaults/vault-operator v1.24.0 deploy/charts/vault-operator/templates/deployment.yaml); the
/// rendered values set Never, since the image is always loaded.</item>
/// <item>Vault: the Vault pod runs spec.image (vault) and spec.bankVaultsImage (the bank-vaults sidecar
/// and the config-templating init container), and the configurer Deployment (made because the CR
/// has externalConfig) runs bank-vaults too, all with ImagePullPolicy IfNotPresent
/// (vault-operator v1.24.0 pkg/controller/vault/vault_controller.go). The statsd exporter sidecar
/// is not run: the CR sets statsdDisabled.</item>
/// </list>
/// The node image's own images (CNI, CoreDNS, local-path provisioner and its helper) are preloaded in
/// kindest/node (kind v0.32.0 pkg/build/nodeimage/const_storage.go: local-path-provisioner v20260521-9fb22683, helper v20260131-7181c60a).
/// </summary>
internal sealed record ClusterImages(IReadOnlyList<string> MetalLb, IReadOnlyList<string> Operator, IReadOnlyList<string> Vault)
{
    public static ClusterImages For(MultiDcOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(
            MetalLbImages(options.MetalLbVersion),
            [options.OperatorImage],
            [.. new[] { options.VaultImage, options.BankVaultsImage }.Distinct(StringComparer.Ordinal)]);
    }

    /// <summary>The two images of MetalLB's native manifest at <paramref name="version"/>.</summary>
    public static IReadOnlyList<string> MetalLbImages(string version)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        return [$"quay.io/metallb/controller:{version}", $"quay.io/metallb/speaker:{version}"];
    }

    /// <summary>Every distinct image loaded into each cluster.</summary>
    public IReadOnlyList<string> All => [.. MetalLb.Concat(Operator).Concat(Vault).Distinct(StringComparer.Ordinal)];

    /// <summary>What the host pulls: every loaded image plus the central Vault's (which runs on the host), each once.</summary>
    public static IReadOnlyList<string> HostPulls(MultiDcOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return [.. For(options).All.Append(options.EffectiveCentralVaultImage).Distinct(StringComparer.Ordinal)];
    }
}
