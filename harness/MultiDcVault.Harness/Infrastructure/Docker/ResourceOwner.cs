using System.Diagnostics;
using System.Globalization;

namespace MultiDcVault.Harness.Infrastructure.Docker;

/// <summary>The process that created a Docker object: host name, process id and the process's start stamp.</summary>
/// <param name="Started">
/// Opaque start stamp, compared for equality only: on Linux the starttime field of /proc/&lt;pid&gt;/stat (clock ticks since
/// boot, exact and stable), elsewhere Process.StartTime in UTC ticks. A pid reused by another process has another stamp.
/// </param>
internal sealed record ResourceOwner(string Host, int Pid, string Started)
{
    public string Describe() => string.Create(CultureInfo.InvariantCulture, $"{Host}/{Pid}");
}

/// <summary>Finds a process's start stamp by pid (the seam the liveness rule is tested through).</summary>
internal interface IProcessLookup
{
    /// <summary>The start stamp of the process with <paramref name="pid"/>; null when no such process exists.</summary>
    string? StartStamp(int pid);
}

/// <summary>The real processes of this machine.</summary>
internal sealed class SystemProcessLookup : IProcessLookup
{
    public static SystemProcessLookup Instance { get; } = new();

    public string? StartStamp(int pid)
    {
        if (OperatingSystem.IsLinux())
        {
            return LinuxStartTicks(pid);
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return process.StartTime.ToUniversalTime().Ticks.ToString(CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static string? LinuxStartTicks(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // The command name (field 2) is in parentheses and may hold spaces; fields after it are plain. starttime is field 22.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return fields.Length > 19 ? fields[19] : null;
    }
}

/// <summary>What is known about a labelled object's owner.</summary>
internal enum OwnerState
{
    /// <summary>No (complete) owner labels: made before owners were recorded, or by hand.</summary>
    Unknown,

    /// <summary>Made on another host: its processes cannot be seen from here.</summary>
    OtherHost,

    /// <summary>This host, and the process with that pid started at the recorded time.</summary>
    Live,

    /// <summary>This host, and no process has that pid or the one that has it started at another time.</summary>
    Dead,
}

/// <summary>
/// The owner rule: an owner is provably dead only when it is on this host and its pid is gone or reused.
/// Anything else (no labels, another host, a live process) is never swept as a crash leftover.
/// </summary>
internal sealed class OwnerLiveness(IProcessLookup processes, string host)
{
    public static OwnerLiveness System { get; } = new(SystemProcessLookup.Instance, global::System.Environment.MachineName);

    public OwnerState StateOf(IReadOnlyDictionary<string, string>? labels) => StateOf(HarnessLabels.TryReadOwner(labels));

    public OwnerState StateOf(ResourceOwner? owner)
    {
        if (owner is null)
        {
            return OwnerState.Unknown;
        }

        if (!string.Equals(owner.Host, host, StringComparison.Ordinal))
        {
            return OwnerState.OtherHost;
        }

        return processes.StartStamp(owner.Pid) is { } started && string.Equals(started, owner.Started, StringComparison.Ordinal)
            ? OwnerState.Live
            : OwnerState.Dead;
    }

    public bool IsProvablyDead(IReadOnlyDictionary<string, string>? labels) => StateOf(labels) == OwnerState.Dead;

    /// <summary>What the automatic sweeps (up, test runs) remove: a dead owner's, unless a kept environment's.</summary>
    public bool IsCrashLeftover(IReadOnlyDictionary<string, string>? labels) => !HarnessLabels.IsKept(labels) && IsProvablyDead(labels);

    /// <summary>This process as an owner.</summary>
    public ResourceOwner Current() => Of(global::System.Environment.ProcessId);

    /// <summary>The process with <paramref name="pid"/> on this host as an owner; throws when there is none.</summary>
    public ResourceOwner Of(int pid) =>
        new(host, pid, processes.StartStamp(pid) ?? throw new InvalidOperationException($"No process has pid {pid.ToString(CultureInfo.InvariantCulture)}."));
}
