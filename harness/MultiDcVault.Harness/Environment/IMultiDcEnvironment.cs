using MultiDcVault.Harness.Configuration;
using MultiDcVault.Harness.Environment.Steps;
using MultiDcVault.Harness.Health;

namespace MultiDcVault.Harness.Environment;

/// <summary>
/// One multi-DC Vault environment: kind clusters, MetalLB, central Vault, operator and the
/// Raft cluster across them. The fixture, the CLI and the E2E tests talk only to this.
/// </summary>
public interface IMultiDcEnvironment : IAsyncDisposable
{
    /// <summary>The options this environment is brought up and attached with.</summary>
    MultiDcOptions Options { get; }

    /// <summary>
    /// Brings the environment up (or reuses a running one when Options.Reuse is set) and waits until
    /// Raft is formed: N voters, one leader, autopilot healthy. On failure or cancellation it writes
    /// a diagnostics bundle (path in <see cref="EnvironmentUpException.DiagnosticsPath"/>) and tears
    /// down what it made unless Options.Keep is set.
    /// </summary>
    Task<EnvironmentHandle> UpAsync(IProgress<PhaseEvent>? progress, CancellationToken cancellationToken);

    /// <summary>Attaches to an environment that an earlier process brought up (reads its state file); null if none.</summary>
    Task<EnvironmentHandle?> TryAttachAsync(CancellationToken cancellationToken);

    /// <summary>Deletes the clusters, the central Vault, the network if the harness created it, and sweeps labelled leftovers.</summary>
    Task<TeardownReport> DownAsync(IProgress<PhaseEvent>? progress, CancellationToken cancellationToken);

    /// <summary>Per-DC health read through the Vault API (TLS verified with each cluster's CA).</summary>
    Task<EnvironmentStatus> GetStatusAsync(CancellationToken cancellationToken);

    /// <summary>Writes the diagnostics bundle (kind logs, kubectl state, Vault and operator logs, Raft state, timings; tokens redacted) and returns its path.</summary>
    Task<string> WriteDiagnosticsAsync(string reason, CancellationToken cancellationToken);
}
