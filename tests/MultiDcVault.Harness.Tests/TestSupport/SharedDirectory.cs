namespace MultiDcVault.Harness.Tests.TestSupport;

/// <summary>
/// Finds the steering "shared" directory (upstream CRD schemas and design notes) that lives
/// beside the repository, not in it. Tests that need it skip with <see cref="MissingSchemasReason"/>.
/// </summary>
internal static class SharedDirectory
{
    public const string SolutionFileName = "MultiDcVault.Tests.sln";

    /// <summary>Overrides the search, for checkouts where "shared" lives elsewhere.</summary>
    public const string OverrideVariable = "MULTIDC_SHARED_DIR";

    public const string MissingSchemasReason = "../shared/schemas not found beside the repository";

    /// <summary>The shared directory, or null when there is none.</summary>
    public static string? Find()
    {
        var overridden = System.Environment.GetEnvironmentVariable(OverrideVariable);
        if (!string.IsNullOrWhiteSpace(overridden))
        {
            return Directory.Exists(overridden) ? Path.GetFullPath(overridden) : null;
        }

        var repository = FindRepositoryRoot();
        if (repository is null)
        {
            return null;
        }

        // "../shared" first; a git worktree nested one level deeper (wt/<name>) finds it further up.
        for (var parent = repository.Parent; parent is not null; parent = parent.Parent)
        {
            var candidate = Path.Combine(parent.FullName, "shared");
            if (Directory.Exists(Path.Combine(candidate, "schemas")))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>The CRD schema directory, or null when there is none.</summary>
    public static string? Schemas() => Find() is { } shared && Directory.Exists(Path.Combine(shared, "schemas"))
        ? Path.Combine(shared, "schemas")
        : null;

    internal static DirectoryInfo? FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SolutionFileName)))
            {
                return dir;
            }
        }

        return null;
    }
}
