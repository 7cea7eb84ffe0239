namespace MultiDcVault.Harness.Infrastructure.Processes;

/// <summary>The last few lines of a process output, for error messages that stay readable.</summary>
internal static class OutputTail
{
    public const int DefaultLines = 20;

    public static string Of(string text, int lines = DefaultLines)
    {
        ArgumentNullException.ThrowIfNull(text);
        var all = text.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        if (all.Length == 1 && all[0].Length == 0)
        {
            return string.Empty;
        }

        return string.Join('\n', all.Length <= lines ? all : all[^lines..]);
    }
}
