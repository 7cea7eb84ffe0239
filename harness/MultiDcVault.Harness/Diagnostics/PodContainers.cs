using k8s.Models;

namespace MultiDcVault.Harness.Diagnostics;

/// <summary>One container of a pod whose logs go into a bundle; a restarted one also has previous logs.</summary>
internal sealed record PodContainer(string Namespace, string Pod, string Container, int RestartCount)
{
    public bool HasPreviousLogs => RestartCount > 0;
}

/// <summary>The containers of listed pods (init containers first, as they ran).</summary>
internal static class PodContainers
{
    public static IReadOnlyList<string> PodNames(V1PodList pods) =>
        [.. Items(pods).Select(p => p.Metadata?.Name).OfType<string>()];

    public static IReadOnlyList<PodContainer> From(V1PodList pods, string defaultNamespace)
    {
        List<PodContainer> containers = [];
        foreach (var pod in Items(pods))
        {
            var name = pod.Metadata?.Name;
            if (string.IsNullOrEmpty(name))
            {
                continue;
            }

            var @namespace = pod.Metadata?.NamespaceProperty ?? defaultNamespace;
            var restarts = (pod.Status?.InitContainerStatuses ?? [])
                .Concat(pod.Status?.ContainerStatuses ?? [])
                .Where(s => s.Name is not null)
                .GroupBy(s => s.Name, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.First().RestartCount, StringComparer.Ordinal);

            foreach (var container in (pod.Spec?.InitContainers ?? []).Concat(pod.Spec?.Containers ?? []).Select(c => c.Name).OfType<string>())
            {
                containers.Add(new PodContainer(@namespace, name, container, restarts.GetValueOrDefault(container)));
            }
        }

        return containers;
    }

    private static IEnumerable<V1Pod> Items(V1PodList pods) => pods?.Items ?? [];
}
