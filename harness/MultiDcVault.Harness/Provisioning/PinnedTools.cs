namespace MultiDcVault.Harness.Provisioning;

/// <summary>
/// The CLI versions the harness installs when a machine lacks them, with the SHA-256 of each
/// download as published. Sources (checked against at least two independent public pins each):
/// <list type="bullet">
/// <item>kind v0.32.0 (the newest kubernetes-sigs/kind release tag; the vault-operator's Makefile
/// still pins 0.31.0): the release's kind-&lt;os&gt;-&lt;arch&gt;.sha256sum values, as pinned identically in
/// several unrelated projects' Makefiles and install scripts (kind_linux_amd64_SHA256SUM=...,
/// PINNED_SHA256_linux_amd64=...). One other public pin disagrees on the two amd64 values only and
/// was outvoted.</item>
/// <item>helm v4.2.0 (the operator pins HELM_VERSION 4.2.0): the checksums listed in the
/// helm/helm v4.2.0 release notes (helm-v4.2.0-&lt;os&gt;-&lt;arch&gt;.tar.gz.sha256sum).</item>
/// <item>kubectl v1.35.0 (the Kubernetes version the operator's CI tests; one minor below the
/// v1.36 kind node image, inside kubectl's supported version skew): dl.k8s.io's kubectl.sha256
/// values, as pinned in Bazel/Dockerfile toolchains.</item>
/// </list>
/// Any other platform (e.g. linux/ppc64le) is verified against the publisher's checksum file
/// fetched from the same release (<see cref="ToolRelease.ChecksumFileSuffix"/>).
/// </summary>
internal static class PinnedTools
{
    public static ToolRelease Kind { get; } = new()
    {
        Name = "kind",
        Version = "v0.32.0",
        BaseUrl = new Uri("https://github.com/kubernetes-sigs/kind/releases/download/"),
        PathTemplate = "{version}/kind-{os}-{arch}",
        ChecksumFileSuffix = ".sha256sum",
        PinnedSha256 = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["linux/amd64"] = "50030de23cf40a18505f20426f6a8506bedf13c6e509244bd1fa9463721b0f54",
            ["linux/arm64"] = "b92cd615e97585de8ddade28ed5cd7feb4248d717c233eea5b03c37298900f5d",
            ["darwin/amd64"] = "295ac6d0d634c9819c9907df45e3017d1f13166bd13c3404c45e79f7faa47498",
            ["darwin/arm64"] = "dca67911095a110c2b5c36e26df6cac860c602033e456c0db47be498cdef1ebb",
        },
    };

    public static ToolRelease Helm { get; } = new()
    {
        Name = "helm",
        Version = "v4.2.0",
        BaseUrl = new Uri("https://get.helm.sh/"),
        PathTemplate = "helm-{version}-{os}-{arch}.tar.gz",
        Packaging = ToolPackaging.TarGz,
        ArchiveEntryTemplate = "{os}-{arch}/helm",
        ChecksumFileSuffix = ".sha256sum",
        PinnedSha256 = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["linux/amd64"] = "97dbeb971be4ac4b27e3839976d9564c0fb35c6f3b1da89dd1e292d236af4096",
            ["linux/arm64"] = "1f8de130dfbd04de64978e7b852a7a547be1404956a366608276d2520b678670",
            ["darwin/amd64"] = "1376ea697140e4db316736e760d5a47d12afc1524dce704476ef06fd7fdeddc6",
            ["darwin/arm64"] = "f13f959015447b6bc309f9fd506509926543988a39035c088b52522ec95e2acb",
        },
    };

    public static ToolRelease Kubectl { get; } = new()
    {
        Name = "kubectl",
        Version = "v1.35.0",
        BaseUrl = new Uri("https://dl.k8s.io/release/"),
        PathTemplate = "{version}/bin/{os}/{arch}/kubectl",
        ChecksumFileSuffix = ".sha256",
        PinnedSha256 = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["linux/amd64"] = "a2e984a18a0c063279d692533031c1eff93a262afcc0afdc517375432d060989",
            ["linux/arm64"] = "58f82f9fe796c375c5c4b8439850b0f3f4d401a52434052f2df46035a8789e25",
            ["darwin/amd64"] = "2447cb78911b10a667202b078eeb30541ec78d1280c3682921dc81607e148d96",
            ["darwin/arm64"] = "cf699c56340dc775230fde4ef84237d27563ea6ef52164c7d078072b586c3918",
        },
    };

    public static IReadOnlyList<ToolRelease> All { get; } = [Kind, Helm, Kubectl];
}
