using FluentAssertions;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Architecture;

/// <summary>
/// The boundaries the layout promises (README, Layout): data flows configuration -> plan -> environment
/// workflows -> components -> boundary clients, never back.
/// </summary>
public sealed class ArchitectureTests
{
    /// <summary>
    /// What the other boundary clients may stand on: the process runner (the CLI clients run processes), the
    /// redactor (every client keeps secrets out of its errors) and the one poll mechanism.
    /// </summary>
    private static IReadOnlySet<string> MayStandOn(string client) => client switch
    {
        "Infrastructure.Secrets" or "Infrastructure.Polling" => new HashSet<string>(),
        "Infrastructure.Processes" => new HashSet<string> { "Infrastructure.Secrets" },
        _ => new HashSet<string> { "Infrastructure.Processes", "Infrastructure.Secrets", "Infrastructure.Polling" },
    };

    private static readonly IReadOnlyList<SourceFile> Files = HarnessNamespaces.Read();

    [Fact]
    public void Every_source_file_declares_the_namespace_of_its_folder()
    {
        Files.Should().NotBeEmpty();
        var wrong = Files
            .Where(f => f.Namespace != ExpectedNamespace(f.Path))
            .Select(f => $"{f.Path}: {f.Namespace} (expected {ExpectedNamespace(f.Path)})");

        string.Join(System.Environment.NewLine, wrong).Should().BeEmpty();
    }

    [Fact]
    public void Dependencies_are_declared_by_using_directives_only()
    {
        // The graph below is read from using directives; a fully qualified name would hide an edge.
        var hidden = Files.Where(f => f.QualifiedReferences > 0).Select(f => f.Path);

        string.Join(System.Environment.NewLine, hidden).Should().BeEmpty();
    }

    [Fact]
    public void A_boundary_client_uses_no_other_boundary_client_and_nothing_above_it()
    {
        var violations = Files
            .Where(f => f.Area.StartsWith("Infrastructure.", StringComparison.Ordinal))
            .SelectMany(f => f.UsedAreas
                .Where(used => !MayStandOn(f.Area).Contains(used))
                .Select(used => $"{f.Path} ({f.Area}) uses {used}"));

        string.Join(System.Environment.NewLine, violations).Should().BeEmpty("boundary clients never call each other and never see plan types, configuration or Environment");
    }

    [Fact]
    public void Nothing_but_the_composition_uses_Environment()
    {
        // Drills and scenarios take the public EnvironmentHandle, as a user's own test would.
        var allowed = new HashSet<string> { "Environment", "Drills", "Scenarios" };
        var violations = Files
            .Where(f => !allowed.Contains(f.Area))
            .Where(f => f.UsedAreas.Contains("Environment"))
            .Select(f => $"{f.Path} ({f.Area}) uses Environment");

        string.Join(System.Environment.NewLine, violations).Should().BeEmpty();
    }

    [Fact]
    public void Only_the_composition_knows_which_cluster_distribution_is_behind_IClusterProvider()
    {
        // Another distribution is one more folder under Clusters/: everything else, the Up/Down/Attach workflows
        // included, goes through the seam. The composition root picks kind; the preflight checks kind's version.
        var allowed = new HashSet<string> { "Clusters", "Preflight" };
        var violations = Files
            .Where(f => !allowed.Contains(f.Area) && f.Namespace != "MultiDcVault.Harness.Environment")
            .Where(f => f.Usings.Contains("MultiDcVault.Harness.Clusters.Kind"))
            .Select(f => $"{f.Path} ({f.Area}) uses Clusters.Kind");

        string.Join(System.Environment.NewLine, violations).Should().BeEmpty();
    }

    [Fact]
    public void No_area_holds_more_than_a_fifth_of_the_harness_lines()
    {
        // A catch-all folder (the old Orchestration/ held a quarter of the code and twelve jobs) shows as one area
        // outgrowing the rest. Each boundary client is its own area (Infrastructure.Docker, ...); together they are a
        // quarter of the harness, which is what the libraries do not do for us (see the closing note of the re-platform).
        var harness = Path.Combine(SharedDirectory.FindRepositoryRoot()!.FullName, "harness", "MultiDcVault.Harness");
        var lines = Files
            .GroupBy(f => f.Area)
            .Select(g => (Area: g.Key, Lines: g.Sum(f => File.ReadAllLines(Path.Combine(harness, f.Path)).Length)))
            .ToList();
        var total = lines.Sum(l => l.Lines);

        lines.Where(l => l.Lines * 5 > total).Select(l => $"{l.Area}: {l.Lines} of {total} lines").Should().BeEmpty();
    }

    [Fact]
    public void The_areas_form_no_cycle()
    {
        var edges = Files
            .SelectMany(f => f.UsedAreas.Select(used => (From: f.Area, To: used)))
            .Distinct()
            .GroupBy(e => e.From)
            .ToDictionary(g => g.Key, g => g.Select(e => e.To).ToList());

        var cycles = AreaGraph.FindCycles(edges);

        string.Join(System.Environment.NewLine, cycles.Select(c => string.Join(" -> ", c))).Should().BeEmpty();
    }

    [Fact]
    public void The_cycle_finder_finds_a_cycle()
    {
        var edges = new Dictionary<string, List<string>> { ["A"] = ["B"], ["B"] = ["C"], ["C"] = ["A"], ["D"] = ["A"] };

        AreaGraph.FindCycles(edges).Should().ContainSingle().Which.Should().Equal("A", "B", "C", "A");
        AreaGraph.FindCycles(new Dictionary<string, List<string>> { ["A"] = ["B"], ["D"] = ["A", "B"] }).Should().BeEmpty();
    }

    private static string ExpectedNamespace(string path)
    {
        var folder = Path.GetDirectoryName(path)!.Replace('\\', '/');
        return folder.Length == 0 ? "MultiDcVault.Harness" : "MultiDcVault.Harness." + folder.Replace('/', '.');
    }
}
