namespace MultiDcVault.Harness.Orchestration;

/// <summary>Writes a diagnostics bundle (logs, cluster state, Raft state; secrets redacted) and returns its directory.</summary>
public interface IDiagnosticsWriter
{
    Task<string> WriteAsync(DiagnosticsRequest request, CancellationToken cancellationToken);
}
