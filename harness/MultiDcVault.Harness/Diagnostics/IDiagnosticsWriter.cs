namespace MultiDcVault.Harness.Diagnostics;

/// <summary>Writes a diagnostics bundle for a failed or suspicious environment and returns its directory.</summary>
internal interface IDiagnosticsWriter
{
    Task<string> WriteAsync(DiagnosticsRequest request, CancellationToken ct);
}
