using System.Text.Json;

namespace MultiDcVault.Harness.Infrastructure.Docker;

/// <summary>Builds the `filters` query parameter of list endpoints: {"label":["k=v","k"]}.</summary>
internal static class DockerLabelFilter
{
    /// <summary>Each entry is "key" (label present) or "key=value"; all must match.</summary>
    public static string Query(IEnumerable<string> labelSelectors)
    {
        var filters = new Dictionary<string, string[]> { ["label"] = [.. labelSelectors] };
        return "filters=" + Uri.EscapeDataString(JsonSerializer.Serialize(filters));
    }

    public static IEnumerable<string> Selectors(IReadOnlyDictionary<string, string?> labels) =>
        labels.Select(l => l.Value is null ? l.Key : $"{l.Key}={l.Value}");
}
