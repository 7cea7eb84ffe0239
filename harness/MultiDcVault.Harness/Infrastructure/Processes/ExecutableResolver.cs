namespace MultiDcVault.Harness.Infrastructure.Processes;

/// <summary>
/// Finds an executable without starting anything: first in an optional tool directory
/// (a provisioned tools cache wins over whatever the machine has), then on PATH.
/// Pure file-system checks, so a missing tool is reported in milliseconds.
/// </summary>
internal sealed class ExecutableResolver
{
    private readonly string? _toolDirectory;
    private readonly Func<string?> _path;

    public ExecutableResolver(string? toolDirectory = null)
        : this(toolDirectory, () => System.Environment.GetEnvironmentVariable("PATH"))
    {
    }

    internal ExecutableResolver(string? toolDirectory, Func<string?> path)
    {
        _toolDirectory = string.IsNullOrWhiteSpace(toolDirectory) ? null : toolDirectory;
        _path = path;
    }

    public static ExecutableResolver Default { get; } = new();

    public string? ToolDirectory => _toolDirectory;

    /// <summary>The full path of the executable, or null when it cannot be found.</summary>
    public string? TryResolve(string fileName)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);

        // A path (absolute or relative) is taken as given, like a shell would.
        if (fileName.Contains('/', StringComparison.Ordinal) || fileName.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return IsExecutableFile(fileName) ? Path.GetFullPath(fileName) : null;
        }

        foreach (var directory in SearchDirectories())
        {
            foreach (var candidate in Candidates(directory, fileName))
            {
                if (IsExecutableFile(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>The full path of the executable; throws <see cref="ToolNotFoundException"/> with an install hint.</summary>
    public string Resolve(string fileName) =>
        TryResolve(fileName) ?? throw new ToolNotFoundException(fileName, [.. SearchDirectories()]);

    public IEnumerable<string> SearchDirectories()
    {
        if (_toolDirectory is not null)
        {
            yield return _toolDirectory;
        }

        var path = _path() ?? string.Empty;
        foreach (var entry in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            yield return entry;
        }
    }

    private static IEnumerable<string> Candidates(string directory, string fileName)
    {
        yield return Path.Combine(directory, fileName);
        if (OperatingSystem.IsWindows() && !Path.HasExtension(fileName))
        {
            yield return Path.Combine(directory, fileName + ".exe");
            yield return Path.Combine(directory, fileName + ".cmd");
        }
    }

    private static bool IsExecutableFile(string path)
    {
        try
        {
            if (!File.Exists(path))
            {
                return false;
            }

            if (OperatingSystem.IsWindows())
            {
                return true;
            }

            const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
            return (File.GetUnixFileMode(path) & anyExecute) != 0;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
