using System.Globalization;

namespace MultiDcVault.Harness.Preflight;

/// <summary>Linux host limits that break several kind clusters on one machine (inotify) or make them crawl (memory).</summary>
internal static class HostLimitChecks
{
    public const string InotifyName = "inotify";
    public const string MemoryName = "memory";

    /// <summary>
    /// fs.inotify.max_user_watches / max_user_instances: too low and kubelet or kube-proxy in the
    /// second or third cluster fail with "too many open files".
    /// </summary>
    public static PreflightCheck CheckInotify(PreflightSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!OperatingSystem.IsLinux())
        {
            return PreflightCheck.Ok(InotifyName, "not checked: the limits live in Docker Desktop's VM on this OS.");
        }

        var watches = ReadNumber(Path.Combine(settings.InotifyDirectory, "max_user_watches"));
        var instances = ReadNumber(Path.Combine(settings.InotifyDirectory, "max_user_instances"));
        if (watches is null || instances is null)
        {
            return PreflightCheck.Warn(
                InotifyName,
                $"could not read the limits from {settings.InotifyDirectory}.",
                "Check `sysctl fs.inotify.max_user_watches fs.inotify.max_user_instances` yourself.");
        }

        var problems = new List<string>();
        if (watches < settings.MinimumInotifyWatches)
        {
            problems.Add($"max_user_watches is {watches} (need >= {settings.MinimumInotifyWatches})");
        }

        if (instances < settings.MinimumInotifyInstances)
        {
            problems.Add($"max_user_instances is {instances} (need >= {settings.MinimumInotifyInstances})");
        }

        if (problems.Count == 0)
        {
            return PreflightCheck.Ok(InotifyName, $"max_user_watches {watches}, max_user_instances {instances}.");
        }

        var watchesSetting = $"fs.inotify.max_user_watches={Math.Max(watches.Value, settings.MinimumInotifyWatches)}";
        var instancesSetting = $"fs.inotify.max_user_instances={Math.Max(instances.Value, settings.MinimumInotifyInstances)}";
        return PreflightCheck.Warn(
            InotifyName,
            $"{string.Join("; ", problems)}: pods in later kind clusters may fail with \"too many open files\".",
            $"`sudo sysctl -w {watchesSetting} {instancesSetting}`; to keep it after reboot: " +
            $"`printf '{watchesSetting}\\n{instancesSetting}\\n' | sudo tee /etc/sysctl.d/99-multidc-kind.conf`.");
    }

    /// <summary>MemAvailable against roughly 2.5 GiB per cluster plus 1 GiB.</summary>
    public static PreflightCheck CheckMemory(PreflightSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!OperatingSystem.IsLinux())
        {
            return PreflightCheck.Ok(MemoryName, "not checked on this OS; give Docker Desktop at least " + GiB(settings.RequiredMemoryBytes) + ".");
        }

        var available = ReadMemAvailableBytes(settings.MemInfoPath);
        if (available is null)
        {
            return PreflightCheck.Warn(MemoryName, $"could not read MemAvailable from {settings.MemInfoPath}.", "Check `free -h` yourself.");
        }

        var required = settings.RequiredMemoryBytes;
        return available >= required
            ? PreflightCheck.Ok(MemoryName, $"{GiB(available.Value)} available, about {GiB(required)} needed for {settings.ClusterCount} clusters.")
            : PreflightCheck.Warn(
                MemoryName,
                $"only {GiB(available.Value)} available, about {GiB(required)} needed for {settings.ClusterCount} clusters: pods may be evicted or time out.",
                "Close other containers/VMs (`docker ps`, `kind get clusters`) or free memory before `up`.");
    }

    /// <summary>MemAvailable from a /proc/meminfo-shaped file ("MemAvailable:   24290756 kB"), in bytes.</summary>
    internal static long? ReadMemAvailableBytes(string path)
    {
        var text = TryRead(path);
        if (text is null)
        {
            return null;
        }

        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith("MemAvailable:", StringComparison.Ordinal))
            {
                continue;
            }

            var parts = line["MemAvailable:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 1 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                var unit = parts.Length > 1 ? parts[1] : "B";
                return unit.Equals("kB", StringComparison.OrdinalIgnoreCase) ? value * 1024 : value;
            }
        }

        return null;
    }

    internal static long? ReadNumber(string path) =>
        long.TryParse(TryRead(path)?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string GiB(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024 * 1024):F1} GiB");
}
