namespace MultiDcVault.Harness.Environment;

/// <summary>An exception as one line a person reads in a terminal or a heal report.</summary>
internal static class ExceptionText
{
    /// <summary>The message and its causes on one line: "up failed: kind create failed: exit 1 ...".</summary>
    public static string OneLine(Exception e)
    {
        var parts = new List<string>();
        for (var current = e; current is not null; current = current.InnerException)
        {
            if (current is AggregateException aggregate)
            {
                parts.Add(aggregate.Message);
                parts.AddRange(aggregate.InnerExceptions.Select(inner => inner.Message));
                break;
            }

            if (parts.Count == 0 || !parts[^1].Contains(current.Message, StringComparison.Ordinal))
            {
                parts.Add(current.Message);
            }
        }

        return string.Join(" <- ", parts).ReplaceLineEndings(" ");
    }
}
