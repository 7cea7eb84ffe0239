namespace MultiDcVault.Harness.Manifests;

/// <summary>Splits "registry/repo:tag" the way the operator chart joins it back ("{repository}:{tag}").</summary>
internal static class ImageReference
{
    public static (string Repository, string Tag) Split(string image)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(image);

        // The tag separator is the last ':' after the last '/'; an earlier ':' is a registry port.
        var lastSlash = image.LastIndexOf('/');
        var colon = image.LastIndexOf(':');
        return colon > lastSlash && colon < image.Length - 1
            ? (image[..colon], image[(colon + 1)..])
            : (image, "latest");
    }
}
