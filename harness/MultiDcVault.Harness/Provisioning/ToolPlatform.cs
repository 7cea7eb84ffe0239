using System.Runtime.InteropServices;

namespace MultiDcVault.Harness.Provisioning;

/// <summary>An operating system and CPU architecture spelled the way kind, helm and kubectl name their downloads ("linux", "amd64").</summary>
internal sealed record ToolPlatform(string Os, string Architecture)
{
    public static ToolPlatform Current { get; } = new(CurrentOs(), CurrentArchitecture());

    /// <summary>"linux/amd64": the key of <see cref="ToolRelease.PinnedSha256"/>.</summary>
    public string Key => $"{Os}/{Architecture}";

    public override string ToString() => Key;

    private static string CurrentOs() =>
        OperatingSystem.IsLinux() ? "linux"
        : OperatingSystem.IsMacOS() ? "darwin"
        : OperatingSystem.IsWindows() ? "windows"
        : RuntimeInformation.OSDescription.ToLowerInvariant();

    private static string CurrentArchitecture() => RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => "amd64",
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        System.Runtime.InteropServices.Architecture.Arm => "arm",
        System.Runtime.InteropServices.Architecture.X86 => "386",
        System.Runtime.InteropServices.Architecture.S390x => "s390x",
        System.Runtime.InteropServices.Architecture.Ppc64le => "ppc64le",
        System.Runtime.InteropServices.Architecture.LoongArch64 => "loong64",
        System.Runtime.InteropServices.Architecture.RiscV64 => "riscv64",
        var other => other.ToString().ToLowerInvariant(),
    };
}
