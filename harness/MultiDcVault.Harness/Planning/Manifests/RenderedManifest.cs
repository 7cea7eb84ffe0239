namespace MultiDcVault.Harness.Planning.Manifests;

/// <summary>
/// One rendered file, ready for kind, kubectl or helm. The content can hold the central
/// Vault token (the Vault CR needs it), so ToString names the file and never shows it.
/// </summary>
internal sealed record RenderedManifest(string FileName, string Content)
{
    public override string ToString() => $"{FileName} ({Content.Length} chars)";
}
