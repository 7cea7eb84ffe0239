namespace MultiDcVault.Harness.Provisioning;

/// <summary>
/// The CLI versions the harness installs when a machine lacks them, with the SHA-256 of each
/// download as published. Sources (checked against at least two independent public pins each):
/// <list type="bullet">
/// <item>kind v0.31.0 (the version the vault-operator's Makefile pins): the release's
/// kind-&lt;os&gt;-&lt;arch&gt;.sha256sum values, as pinned e.g. in kubernetes-sigs projects' Makefiles
/// (kind_linux_amd64_SHA256SUM=...) and several install scripts.</item>
/// <item>helm v4.2.0 (the operator pins HELM_VERSION 4.2.0): the checksums listed in the
/// helm/helm v4.2.0 release notes (helm-v4.2.0-&lt;os&gt;-&lt;arch&gt;.tar.gz.sha256sum).</item>
/// <item>kubectl v1.35.0 (the Kubernetes version of the pinned kind node image): dl.k8s.io's
/// kubectl.sha256 values, as pinned in Bazel/Dockerfile toolchains.</item>
/// </list>
/// Any other platform (e.g. linux/ppc64le) is verified against the publisher's checksum file
/// fetched from the same release (<see cref="ToolRelease.ChecksumFileSuffix"/>).
/// </summary>
public static class PinnedTools
{
    public static ToolRelease Kind { get; } = new()
    {
        Name = "kind",
        Version = "v0.31.0",
        BaseUrl = new Uri("https://github.com/kubernetes-sigs/kind/releases/download/"),
        PathTemplate = "{version}/kind-{os}-{arch}",
        ChecksumFileSuffix = ".sha256sum",
        PinnedSha256 = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["linux/amd64"] = "eb244cbafcc157dff60cf68693c14c9a75c4e6e6fedaf9cd71c58117cb93e3fa",
            ["linux/arm64"] = "8e1014e87c34901cc422a1445866835d1e666f2a61301c27e722bdeab5a1f7e4",
            ["darwin/amd64"] = "a8b3cf77b2ad77aec5bf710d1a2589d9117576132af812885cad41e9dede4d4e",
            ["darwin/arm64"] = "88bf554fe9da6311c9f8c2d082613c002911a476f6b5090e9420b35d84e70c5c",
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
