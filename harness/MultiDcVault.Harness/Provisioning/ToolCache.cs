namespace MultiDcVault.Harness.Provisioning;

/// <summary>
/// Where provisioned CLIs live: &lt;root&gt;/&lt;tool&gt;-&lt;version&gt;/&lt;tool&gt;, plus &lt;root&gt;/bin with one
/// link per tool so a single directory (EnvironmentServices.ToolDirectory) finds them all.
/// Root: MULTIDC_TOOLS_DIR, else $XDG_CACHE_HOME/multidc/tools, else ~/.cache/multidc/tools.
/// </summary>
internal sealed class ToolCache
{
    public const string DirectoryVariable = "MULTIDC_TOOLS_DIR";

    public ToolCache(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    /// <summary>The directory to put first in the executable search (one link per installed tool).</summary>
    public string BinDirectory => Path.Combine(Root, "bin");

    public static ToolCache FromEnvironment(Func<string, string?> readVariable)
    {
        ArgumentNullException.ThrowIfNull(readVariable);
        if (readVariable(DirectoryVariable) is { Length: > 0 } explicitRoot)
        {
            return new ToolCache(explicitRoot);
        }

        var cacheHome = readVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg && Path.IsPathRooted(xdg)
            ? xdg
            : Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".cache");
        return new ToolCache(Path.Combine(cacheHome, "multidc", "tools"));
    }

    public string VersionDirectory(ToolRelease release)
    {
        ArgumentNullException.ThrowIfNull(release);
        return Path.Combine(Root, release.DirectoryName);
    }

    public string ExecutablePath(ToolRelease release)
    {
        ArgumentNullException.ThrowIfNull(release);
        return Path.Combine(VersionDirectory(release), release.Name);
    }

    public string LinkPath(ToolRelease release)
    {
        ArgumentNullException.ThrowIfNull(release);
        return Path.Combine(BinDirectory, release.Name);
    }

    /// <summary>The bin directory when something was ever provisioned, else null (nothing to search).</summary>
    public string? ExistingBinDirectory => Directory.Exists(BinDirectory) ? BinDirectory : null;
}
