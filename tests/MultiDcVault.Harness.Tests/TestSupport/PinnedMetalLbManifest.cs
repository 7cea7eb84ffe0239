using System.Diagnostics;
using System.Security.Cryptography;
using MultiDcVault.Harness.Provisioning;

namespace MultiDcVault.Harness.Tests.TestSupport;

/// <summary>
/// The pinned MetalLB native manifest (metallb/metallb v0.16.1 config/manifests/metallb-native.yaml), not copied
/// into the repository: taken from the harness's tool cache (where `up` keeps it) or from a local git mirror of
/// metallb/metallb, and accepted only when its SHA-256 is the pinned one. Tests that need it skip with <see cref="MissingReason"/>.
/// </summary>
internal static class PinnedMetalLbManifest
{
    public const string Version = "v0.16.1";

    /// <summary>A bare or working git clone of metallb/metallb to read the tag from.</summary>
    public const string MirrorVariable = "MULTIDC_METALLB_MIRROR";

    public const string MissingReason =
        "the pinned MetalLB native manifest is neither in the multidc tool cache nor in a metallb/metallb mirror (MULTIDC_METALLB_MIRROR or /work/.mirror/metallb+metallb/repo)";

    private static readonly Lazy<string?> Found = new(Locate);

    /// <summary>The manifest's path, or null when it cannot be found with its pinned checksum.</summary>
    public static string? Path => Found.Value;

    private static string? Locate()
    {
        var pinned = PinnedManifests.MetalLbNative(Version)!;
        using var http = new HttpClient();
        var cached = new PinnedManifestCache(http, ToolCache.FromEnvironment(System.Environment.GetEnvironmentVariable)).PathOf(pinned);
        if (File.Exists(cached) && Verified(File.ReadAllBytes(cached), pinned))
        {
            return cached;
        }

        foreach (var mirror in new[] { System.Environment.GetEnvironmentVariable(MirrorVariable), "/work/.mirror/metallb+metallb/repo" })
        {
            if (string.IsNullOrEmpty(mirror) || !Directory.Exists(mirror))
            {
                continue;
            }

            var start = new ProcessStartInfo("git", ["-C", mirror, "show", $"{Version}:config/manifests/metallb-native.yaml"]) { RedirectStandardOutput = true, UseShellExecute = false };
            using var git = Process.Start(start)!;
            using var bytes = new MemoryStream();
            git.StandardOutput.BaseStream.CopyTo(bytes);
            git.WaitForExit();
            if (git.ExitCode == 0 && Verified(bytes.ToArray(), pinned))
            {
                var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"multidc-tests-metallb-native-{Version}.yaml");
                File.WriteAllBytes(path, bytes.ToArray());
                return path;
            }
        }

        return null;
    }

    private static bool Verified(byte[] content, PinnedManifest pinned) =>
        string.Equals(Convert.ToHexStringLower(SHA256.HashData(content)), pinned.Sha256, StringComparison.OrdinalIgnoreCase);
}
