using MultiDcVault.Harness.Infrastructure.Secrets;
using System.Globalization;
using System.Text;

namespace MultiDcVault.Harness.Diagnostics;

/// <summary>Renders the bundle's README.md: why and when it was written, what failed and why, and what each file is.</summary>
internal static class DiagnosticsReadme
{
    public static string Render(
        DiagnosticsRequest request,
        DateTimeOffset writtenAt,
        IReadOnlyList<CollectionOutcome> outcomes,
        IReadOnlyList<KeyValuePair<string, string>> files)
    {
        var text = new StringBuilder();
        text.AppendLine("# MultiDcVault diagnostics bundle").AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"- Reason: {OneLine(request.Reason)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Written: {writtenAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Session: {request.Session}");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Clusters: {(request.Clusters.Count == 0 ? "none" : string.Join(", ", request.Clusters.Select(c => c.Name)))}");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Central Vault container: {request.CentralVaultContainer ?? "none"}");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Secrets are masked as `{Redactor.Mask}`: the Raft root token, the central Vault tokens of the Vault CRs, and anything shaped like a Vault token. ");
        text.AppendLine("Files that a tool wrote itself and that are not text (so cannot be redacted) were removed.").AppendLine();

        var problems = outcomes.Where(o => o.Status != CollectionStatus.Collected).OrderBy(o => o.Name, StringComparer.Ordinal).ToList();
        text.AppendLine("## Collections that failed or were skipped").AppendLine();
        if (problems.Count == 0)
        {
            text.AppendLine("None: every collection succeeded.");
        }

        foreach (var problem in problems)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- `{problem.Name}`: {(problem.Status == CollectionStatus.Failed ? "FAILED" : "skipped")}");
            text.AppendLine("  ```");
            foreach (var line in (problem.Detail ?? "no detail").ReplaceLineEndings("\n").Split('\n'))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  {line.Replace("```", "'''", StringComparison.Ordinal)}");
            }

            text.AppendLine("  ```");
        }

        text.AppendLine().AppendLine("## Files").AppendLine();
        text.AppendLine("| Path | What it is |").AppendLine("| --- | --- |");
        text.AppendLine("| `README.md` | This file. |");
        foreach (var (path, description) in files)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| `{path}` | {Cell(description)} |");
        }

        text.AppendLine().AppendLine("## All collections").AppendLine();
        text.AppendLine("| Collection | Result | Took |").AppendLine("| --- | --- | --- |");
        foreach (var outcome in outcomes.OrderBy(o => o.Name, StringComparer.Ordinal))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| `{outcome.Name}` | {outcome.Status.ToString().ToLowerInvariant()} | {outcome.Duration.TotalSeconds:0.0} s |");
        }

        return text.ToString();
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    private static string Cell(string text) => OneLine(text).Replace("|", "\\|", StringComparison.Ordinal);
}
