namespace MultiDcVault.Harness.Tests.Architecture;

/// <summary>Cycles in a small directed graph, each reported once, from its smallest node.</summary>
internal static class AreaGraph
{
    public static IReadOnlyList<IReadOnlyList<string>> FindCycles(IReadOnlyDictionary<string, List<string>> edges)
    {
        var cycles = new List<IReadOnlyList<string>>();
        foreach (var start in edges.Keys.Order(StringComparer.Ordinal))
        {
            Walk([start]);
        }

        return cycles;

        // Only nodes greater than the start are visited, so each cycle is found once: from its smallest node.
        void Walk(List<string> path)
        {
            foreach (var next in edges.GetValueOrDefault(path[^1]) ?? [])
            {
                if (next == path[0])
                {
                    cycles.Add([.. path, next]);
                }
                else if (!path.Contains(next) && string.CompareOrdinal(next, path[0]) > 0)
                {
                    Walk([.. path, next]);
                }
            }
        }
    }
}
