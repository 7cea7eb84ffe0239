namespace MultiDcVault.Harness.Infrastructure.Docker;

/// <summary>Builds the `filters` argument of list calls: {"label": {"k=v": true, "k": true}}.</summary>
internal static class DockerLabelFilter
{
    /// <summary>A null value means "label present with any value"; all labels must match.</summary>
    public static IDictionary<string, IDictionary<string, bool>> Of(IReadOnlyDictionary<string, string?> labels) =>
        new Dictionary<string, IDictionary<string, bool>>
        {
            ["label"] = labels.ToDictionary(l => l.Value is null ? l.Key : $"{l.Key}={l.Value}", _ => true),
        };
}
