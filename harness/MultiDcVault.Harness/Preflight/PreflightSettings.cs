using MultiDcVault.Harness.Configuration;
using MultiDcVault.Harness.Infrastructure.Processes;

namespace MultiDcVault.Harness.Preflight;

/// <summary>What the doctor checks against. The file locations are settable so tests can point them at temp files.</summary>
internal sealed record PreflightSettings
{
    public int ClusterCount { get; init; } = MultiDcOptions.DefaultClusterNames.Count;

    /// <summary>
    /// v0.32.0: the default node image (kind v0.32.0's own) uses containerd's config version 4, which older kind cannot
    /// parse when it loads images (kubernetes-sigs/kind commit b22acfaf, "handle containerd v4 config format").
    /// </summary>
    public ToolVersionRequirement Kind { get; init; } = new("kind", new(0, 32, 0, "v0.32.0"));

    public ToolVersionRequirement Kubectl { get; init; } = new("kubectl", new(1, 28, 0, "v1.28.0"));

    public ToolVersionRequirement Helm { get; init; } = new("helm", new(3, 12, 0, "v3.12.0"));

    /// <summary>kind's documented needs for several clusters on one host.</summary>
    public long MinimumInotifyWatches { get; init; } = 524_288;

    public long MinimumInotifyInstances { get; init; } = 512;

    public string InotifyDirectory { get; init; } = "/proc/sys/fs/inotify";

    public string MemInfoPath { get; init; } = "/proc/meminfo";

    /// <summary>A kind node with Vault, the operator and MetalLB needs roughly this much.</summary>
    public long BytesPerCluster { get; init; } = 5L * 1024 * 1024 * 1024 / 2;

    /// <summary>The central Vault, Docker itself and the test process.</summary>
    public long BaseBytes { get; init; } = 1L * 1024 * 1024 * 1024;

    /// <summary>Per version command; a hung CLI must not hang the doctor.</summary>
    public TimeSpan ToolTimeout { get; init; } = TimeSpan.FromSeconds(15);

    public long RequiredMemoryBytes => BaseBytes + (ClusterCount * BytesPerCluster);
}

/// <summary>A CLI (its executable name) and the oldest version the harness works with.</summary>
internal sealed record ToolVersionRequirement(string Executable, ToolVersion Minimum);
