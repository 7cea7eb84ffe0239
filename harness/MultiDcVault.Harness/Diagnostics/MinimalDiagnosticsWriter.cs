using System.Globalization;
using System.Text;
using MultiDcVault.Harness.Infrastructure.Secrets;

namespace MultiDcVault.Harness.Diagnostics;

/// <summary>
/// The fallback bundle when no full diagnostics writer is wired: the reason (redacted), what
/// the bundle would cover, and the timing report. Enough to see which phase failed and when.
/// </summary>
internal sealed class MinimalDiagnosticsWriter(TimeProvider timeProvider) : IDiagnosticsWriter
{
    public async Task<string> WriteAsync(DiagnosticsRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var stamp = timeProvider.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var directory = Path.Combine(request.BundleRoot, $"diagnostics-{stamp}");
        for (var i = 2; Directory.Exists(directory); i++)
        {
            directory = Path.Combine(request.BundleRoot, $"diagnostics-{stamp}-{i.ToString(CultureInfo.InvariantCulture)}");
        }

        Directory.CreateDirectory(directory);
        var text = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"session: {request.Session}")
            .AppendLine(CultureInfo.InvariantCulture, $"central vault container: {request.CentralVaultContainer ?? "(none)"}")
            .AppendLine("clusters:");
        foreach (var cluster in request.Clusters)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {cluster.Name}: {cluster.Target} vault {cluster.Namespace}/{cluster.VaultName} at {cluster.VaultAddress?.ToString() ?? "(unknown)"}");
        }

        text.AppendLine().AppendLine("reason:").AppendLine(request.Reason);
        await File.WriteAllTextAsync(Path.Combine(directory, "reason.txt"), Redactor.Default.Redact(text.ToString()), ct);
        if (request.TimingReportPath is { } timings && File.Exists(timings))
        {
            File.Copy(timings, Path.Combine(directory, Path.GetFileName(timings)), overwrite: true);
        }

        return directory;
    }
}
