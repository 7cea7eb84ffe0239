using MultiDcVault.Harness.Infrastructure.Kubernetes;
using MultiDcVault.Harness.Infrastructure.Secrets;

namespace MultiDcVault.Harness.Diagnostics;

/// <summary>What a diagnostics bundle should cover.</summary>
/// <param name="Reason">Why it is written (the failure message); goes into the bundle, redacted.</param>
/// <param name="BundleRoot">Directory under which the bundle directory is created.</param>
/// <param name="Session">The environment's session id.</param>
/// <param name="Clusters">The clusters that exist (or may exist) right now.</param>
/// <param name="CentralVaultContainer">Name of the central Vault container, when one was started.</param>
/// <param name="ReadRootToken">Reads the in-cluster root token (for Raft state); null when unknown. The writer must never store it.</param>
/// <param name="TimingReportPath">The phase timing report to copy into the bundle, when written.</param>
internal sealed record DiagnosticsRequest(
    string Reason,
    string BundleRoot,
    string Session,
    IReadOnlyList<DiagnosticsCluster> Clusters,
    string? CentralVaultContainer,
    Func<CancellationToken, Task<SecretValue?>>? ReadRootToken,
    string? TimingReportPath);

/// <summary>One cluster to collect from.</summary>
internal sealed record DiagnosticsCluster(
    string Name,
    KubeTarget Target,
    string Namespace,
    string VaultName,
    Uri? VaultAddress,
    string? CaCertificatePem);
