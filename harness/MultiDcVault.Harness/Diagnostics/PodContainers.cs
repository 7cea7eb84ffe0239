using System.Text.Json.Nodes;

namespace MultiDcVault.Harness.Diagnostics;

/// <summary>One container of a pod whose logs go into a bundle; a restarted one also has previous logs.</summary>
internal sealed record PodContainer(string Namespace, string Pod, string Container, int RestartCount)
{
    public bool HasPreviousLogs => RestartCount > 0;
}

/// <summary>Reads the containers (init containers first, as they ran) out of `kubectl get pods -o json`.</summary>
internal static class PodContainers
{
    public static IReadOnlyList<string> PodNames(JsonObject podList) =>
        [.. Items(podList).Select(p => p["metadata"]?["name"]?.GetValue<string>()).OfType<string>()];

    public static IReadOnlyList<PodContainer> From(JsonObject podList, string defaultNamespace)
    {
        List<PodContainer> containers = [];
        foreach (var pod in Items(podList))
        {
            var name = pod["metadata"]?["name"]?.GetValue<string>();
            if (string.IsNullOrEmpty(name))
            {
                continue;
            }

            var @namespace = pod["metadata"]?["namespace"]?.GetValue<string>() ?? defaultNamespace;
            var restarts = RestartCounts(pod["status"]?["initContainerStatuses"])
                .Concat(RestartCounts(pod["status"]?["containerStatuses"]))
                .GroupBy(r => r.Name, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.First().Restarts, StringComparer.Ordinal);

            foreach (var container in Names(pod["spec"]?["initContainers"]).Concat(Names(pod["spec"]?["containers"])))
            {
                containers.Add(new PodContainer(@namespace, name, container, restarts.GetValueOrDefault(container)));
            }
        }

        return containers;
    }

    private static IEnumerable<JsonObject> Items(JsonObject podList) =>
        podList["items"] is JsonArray items ? items.OfType<JsonObject>() : [];

    private static IEnumerable<string> Names(JsonNode? containers) =>
        containers is JsonArray array
            ? array.Select(c => c?["name"]?.GetValue<string>()).OfType<string>()
            : [];

    private static IEnumerable<(string Name, int Restarts)> RestartCounts(JsonNode? statuses) =>
        statuses is JsonArray array
            ? array.OfType<JsonObject>()
                .Where(s => s["name"] is not null)
                .Select(s => (s["name"]!.GetValue<string>(), s["restartCount"]?.GetValue<int>() ?? 0))
            : [];
}
