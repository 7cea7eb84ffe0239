using System.Text.RegularExpressions;
using MultiDcVault.Harness.Tests.TestSupport;

namespace MultiDcVault.Harness.Tests.Architecture;

/// <summary>
/// The harness's source files read as a graph of areas: an area is a top-level folder (Planning, Health, ...),
/// or one boundary client under Infrastructure/ (Infrastructure.Docker, ...). An edge is a
/// <c>using MultiDcVault.Harness.…;</c> directive in a file of one area naming another; the harness uses
/// no fully qualified harness names, so the directives are the whole dependency picture.
/// </summary>
internal static partial class HarnessNamespaces
{
    private const string Root = "MultiDcVault.Harness";

    public static IReadOnlyList<SourceFile> Read()
    {
        var repository = SharedDirectory.FindRepositoryRoot()
            ?? throw new InvalidOperationException($"No {SharedDirectory.SolutionFileName} above {AppContext.BaseDirectory}.");
        var harness = Path.Combine(repository.FullName, "harness", "MultiDcVault.Harness");
        var files = new List<SourceFile>();
        foreach (var path in Directory.EnumerateFiles(harness, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(harness, path).Replace('\\', '/');
            if (relative.StartsWith("obj/", StringComparison.Ordinal) || relative.StartsWith("bin/", StringComparison.Ordinal))
            {
                continue;
            }

            var text = File.ReadAllText(path);
            var ns = NamespaceLine().Match(text) is { Success: true } m ? m.Groups[1].Value : "";
            var uses = UsingLine().Matches(text).Select(u => u.Groups[1].Value).ToList();
            var qualified = text.Split('\n')
                .Where(line => !line.StartsWith("using ", StringComparison.Ordinal) && !line.StartsWith("namespace ", StringComparison.Ordinal))
                .Count(line => line.Contains(Root + ".", StringComparison.Ordinal));
            files.Add(new SourceFile(relative, ns, uses, qualified));
        }

        return files;
    }

    /// <summary>"Planning" for MultiDcVault.Harness.Planning.Manifests, "Infrastructure.Docker" for a boundary client.</summary>
    public static string AreaOf(string ns)
    {
        if (ns == Root || !ns.StartsWith(Root + ".", StringComparison.Ordinal))
        {
            return ns;
        }

        var parts = ns[(Root.Length + 1)..].Split('.');
        return parts[0] == "Infrastructure" && parts.Length > 1 ? $"Infrastructure.{parts[1]}" : parts[0];
    }

    [GeneratedRegex(@"^namespace ([\w.]+);", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();

    [GeneratedRegex(@"^using (MultiDcVault\.Harness[\w.]*);", RegexOptions.Multiline)]
    private static partial Regex UsingLine();
}

/// <param name="QualifiedReferences">Lines naming a harness namespace outside using and namespace lines.</param>
internal sealed record SourceFile(string Path, string Namespace, IReadOnlyList<string> Usings, int QualifiedReferences)
{
    public string Area => HarnessNamespaces.AreaOf(Namespace);

    public IEnumerable<string> UsedAreas => Usings.Select(HarnessNamespaces.AreaOf).Where(a => a != Area).Distinct();
}
