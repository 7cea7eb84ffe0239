using MultiDcVault.Harness.Infrastructure.Secrets;

namespace MultiDcVault.Harness.Infrastructure.Helm;

/// <summary>What `helm upgrade --install` should make true in one cluster.</summary>
/// <param name="Release">Release name.</param>
/// <param name="Chart">Chart reference, e.g. oci://ghcr.io/bank-vaults/helm-charts/vault-operator.</param>
/// <param name="Version">Chart version (pinned: an unpinned chart makes runs unreproducible).</param>
/// <param name="Namespace">Release namespace.</param>
/// <param name="KubeconfigPath">The cluster's own kubeconfig file.</param>
/// <param name="KubeContext">Context in that file.</param>
internal sealed record HelmRelease(
    string Release,
    string Chart,
    string Version,
    string Namespace,
    string KubeconfigPath,
    string KubeContext)
{
    /// <summary>Passed as --set-string key=value (so "true" or "1.24" stay strings), in key order for stable command lines.</summary>
    public IReadOnlyDictionary<string, string> Values { get; init; } = new Dictionary<string, string>();

    /// <summary>Values files passed as -f, in order, before the --set-string values (which win over them).</summary>
    public IReadOnlyList<string> ValuesFiles { get; init; } = [];

    /// <summary>Values that are credentials; they are redacted from logs and errors.</summary>
    public IReadOnlyList<SecretValue> SecretValues { get; init; } = [];

    /// <summary>Wait until the release's resources are ready (bare --wait: helm 3's bool, helm 4's "watcher").</summary>
    public bool Wait { get; init; } = true;

    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    public bool CreateNamespace { get; init; } = true;
}
