using Xunit;
using YamlDotNet.RepresentationModel;

namespace MultiDcVault.Harness.Tests.TestSupport;

/// <summary>One step of a GitHub Actions job, in file order.</summary>
internal sealed record WorkflowStep(int Index, string? Name, string? Run, YamlMappingNode Node);

/// <summary>A workflow under .github/workflows, parsed with YamlDotNet's representation model.</summary>
internal sealed class WorkflowFile
{
    private WorkflowFile(YamlMappingNode root) => Root = root;

    public YamlMappingNode Root { get; }

    /// <summary>Loads the file; skips the calling test when it runs outside the repository.</summary>
    public static WorkflowFile Load(string name)
    {
        var root = SharedDirectory.FindRepositoryRoot();
        Assert.SkipWhen(root is null, $"{SharedDirectory.SolutionFileName} not found above {AppContext.BaseDirectory}: the tests run outside the repository.");
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(root!.FullName, ".github", "workflows", name));
        stream.Load(reader);
        return new WorkflowFile((YamlMappingNode)stream.Documents[0].RootNode);
    }

    /// <summary>The workflow-level env block.</summary>
    public IReadOnlyDictionary<string, string> Environment => Scalars((YamlMappingNode)Root.Children[Key("env")]);

    public YamlMappingNode Job(string id) => (YamlMappingNode)((YamlMappingNode)Root.Children[Key("jobs")]).Children[Key(id)];

    public static IReadOnlyDictionary<string, string> Scalars(YamlMappingNode mapping) =>
        mapping.Children.ToDictionary(e => ((YamlScalarNode)e.Key).Value!, e => ((YamlScalarNode)e.Value).Value!, StringComparer.Ordinal);

    public IReadOnlyList<WorkflowStep> Steps(string jobId) =>
        [.. ((YamlSequenceNode)Job(jobId).Children[Key("steps")]).Children.Cast<YamlMappingNode>()
            .Select((step, index) => new WorkflowStep(index, Text(step, "name"), Text(step, "run"), step))];

    /// <summary>The one step whose name starts with <paramref name="prefix"/>.</summary>
    public WorkflowStep Step(string jobId, string prefix) =>
        Steps(jobId).Single(s => s.Name?.StartsWith(prefix, StringComparison.Ordinal) == true);

    public static YamlScalarNode Key(string name) => new(name);

    private static string? Text(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(Key(key), out var value) ? ((YamlScalarNode)value).Value : null;
}
