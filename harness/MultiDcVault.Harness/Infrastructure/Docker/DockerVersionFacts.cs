using Docker.DotNet.Models;

namespace MultiDcVault.Harness.Infrastructure.Docker;

/// <summary>What the harness reads off the engine's /version answer.</summary>
internal static class DockerVersionFacts
{
    /// <summary>
    /// True for Docker Desktop (macOS, Windows and Linux): the engine runs in a VM, so container
    /// addresses on a bridge network are not reachable from the host.
    /// </summary>
    public static bool IsDockerDesktop(this VersionResponse version)
    {
        ArgumentNullException.ThrowIfNull(version);
        return (version.Platform?.Name?.Contains("Docker Desktop", StringComparison.OrdinalIgnoreCase) ?? false)
               || (version.KernelVersion?.Contains("linuxkit", StringComparison.OrdinalIgnoreCase) ?? false);
    }
}
