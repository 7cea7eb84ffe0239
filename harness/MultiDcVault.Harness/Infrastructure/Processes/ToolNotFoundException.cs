namespace MultiDcVault.Harness.Infrastructure.Processes;

/// <summary>A CLI the harness needs (kind, kubectl, helm, docker) is not installed or not on PATH.</summary>
internal sealed class ToolNotFoundException : Exception
{
    public ToolNotFoundException(string tool, IReadOnlyList<string> searchedDirectories)
        : base(BuildMessage(tool, searchedDirectories))
    {
        Tool = tool;
        SearchedDirectories = searchedDirectories;
    }

    public ToolNotFoundException()
        : this("(unknown)", [])
    {
    }

    public ToolNotFoundException(string message)
        : base(message)
    {
        Tool = "(unknown)";
        SearchedDirectories = [];
    }

    public ToolNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
        Tool = "(unknown)";
        SearchedDirectories = [];
    }

    public string Tool { get; }

    public IReadOnlyList<string> SearchedDirectories { get; }

    /// <summary>The one-line "how to install" hint for the tool.</summary>
    public string InstallHint => ToolInstallHints.For(Tool);

    private static string BuildMessage(string tool, IReadOnlyList<string> searched)
    {
        var where = searched.Count == 0 ? "PATH is empty" : $"searched {searched.Count} directories: {string.Join(Path.PathSeparator, searched.Take(12))}{(searched.Count > 12 ? ", ..." : string.Empty)}";
        return $"'{tool}' was not found ({where}). {ToolInstallHints.For(tool)}";
    }
}
