using MultiDcVault.Harness.Kubectl;
using MultiDcVault.Harness.Secrets;

namespace MultiDcVault.Harness.Orchestration;

/// <summary>What a diagnostics bundle covers: why it is written, where, and which clusters, central Vault and timing report.</summary>
public sealed record DiagnosticsRequest(string Reason, string BundleRoot, string Session, IReadOnlyList<DiagnosticsCluster> Clusters, string? CentralVaultContainer, Func<CancellationToken, Task<SecretValue?>>? ReadRootToken, string? TimingReportPath);

/// <summary>One datacenter in a diagnostics bundle: its kind cluster, kubectl target, Vault CR and (when known) Vault API address and CA.</summary>
public sealed record DiagnosticsCluster(string Name, KubeTarget Target, string Namespace, string VaultName, Uri? VaultAddress, string? CaCertificatePem);
