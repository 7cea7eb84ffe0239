namespace MultiDcVault.Harness.Planning;

/// <summary>
/// The directory a plan is written to. A plan owns what it wrote there (listed in a marker file), so a new plan
/// replaces an old one completely (no dc4/ left from a larger one) and a folder holding anything else is refused.
/// Every check runs before the first write, so a refused directory is left as it was.
/// </summary>
internal static class PlanOutputDirectory
{
    /// <summary>Lists, one per line, the entries the plan wrote; its presence marks the directory as a plan's.</summary>
    public const string MarkerFileName = ".multidc-plan";

    /// <summary>
    /// Checks <paramref name="path"/>, removes the previous plan in it and records <paramref name="entries"/> (what the new
    /// plan is about to write) first, so even a plan cut short is replaced completely next time; returns the full path.
    /// </summary>
    public static string Prepare(string option, string path, IReadOnlyList<string> entries)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new PlanOutputException($"{option} is empty: name a directory for the plan");
        }

        var full = Path.GetFullPath(path);
        if (File.Exists(full))
        {
            throw new PlanOutputException($"{option} {path} is a file, not a directory: name a new or empty directory");
        }

        for (var parent = Path.GetDirectoryName(full); parent is not null; parent = Path.GetDirectoryName(parent))
        {
            if (File.Exists(parent))
            {
                throw new PlanOutputException($"{option} {path} cannot be created: {parent} is a file");
            }

            if (Directory.Exists(parent))
            {
                break;
            }
        }

        if (Directory.Exists(full))
        {
            RemovePreviousPlan(option, path, full);
        }

        try
        {
            Directory.CreateDirectory(full);
            File.WriteAllLines(Path.Combine(full, MarkerFileName), entries);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw new PlanOutputException($"{option} {path} cannot be written: {ex.Message}");
        }

        return full;
    }

    private static void RemovePreviousPlan(string option, string path, string full)
    {
        var marker = Path.Combine(full, MarkerFileName);
        if (!File.Exists(marker))
        {
            if (Directory.EnumerateFileSystemEntries(full).Any())
            {
                throw new PlanOutputException(
                    $"{option} {path} is not empty and holds no plan of multidc's: name a new or empty directory (nothing was written)");
            }

            return;
        }

        foreach (var entry in File.ReadAllLines(marker).Where(e => e.Length > 0))
        {
            // Only names directly inside the directory: a marker edited to point elsewhere removes nothing outside it.
            if (entry != Path.GetFileName(entry) || entry is "." or "..")
            {
                continue;
            }

            var target = Path.Combine(full, entry);
            if (Directory.Exists(target))
            {
                Directory.Delete(target, recursive: true);
            }
            else if (File.Exists(target))
            {
                File.Delete(target);
            }
        }
    }
}

/// <summary>The plan's output directory cannot be used; the message is one line naming the option.</summary>
internal sealed class PlanOutputException : Exception
{
    public PlanOutputException()
    {
    }

    public PlanOutputException(string message)
        : base(message)
    {
    }

    public PlanOutputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
