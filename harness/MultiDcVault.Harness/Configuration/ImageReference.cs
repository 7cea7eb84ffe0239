namespace MultiDcVault.Harness.Configuration;

/// <summary>
/// Image references as the harness uses them: always pinned (a tag other than "latest", or a digest),
/// split the way the operator chart joins them back ("{repository}:{tag}").
/// </summary>
internal static class ImageReference
{
    /// <summary>
    /// Null when <paramref name="image"/> is pinned; otherwise why not, as the end of a sentence.
    /// An untagged reference means ":latest" to Docker and to Kubernetes, which also pull ":latest"
    /// on every pod start (imagePullPolicy defaults to Always for it).
    /// </summary>
    public static string? UnpinnedReason(string image)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(image);
        if (image.Contains('@', StringComparison.Ordinal))
        {
            // A digest pins the content whatever the tag says.
            return null;
        }

        var tag = TagOf(image);
        if (tag is null)
        {
            return "it has no tag, which means :latest; give a version tag (e.g. repo:v1.2.3) or a digest (repo@sha256:...)";
        }

        return string.Equals(tag, "latest", StringComparison.OrdinalIgnoreCase)
            ? "it uses :latest, which changes under you and makes every node pull it again; give a version tag or a digest"
            : null;
    }

    public static bool IsPinned(string image) => UnpinnedReason(image) is null;

    /// <summary>"repo:tag" into repository and tag; refuses an unpinned reference (it would render as :latest).</summary>
    public static (string Repository, string Tag) Split(string image)
    {
        if (UnpinnedReason(image) is { } why)
        {
            throw new ArgumentException($"Image '{image}' is not pinned: {why}.", nameof(image));
        }

        var at = image.IndexOf('@', StringComparison.Ordinal);
        var name = at < 0 ? image : image[..at];
        var digest = at < 0 ? string.Empty : image[at..];
        var tag = TagOf(name);

        // "repo:tag@sha256:..." -> ("repo", "tag@sha256:..."); "repo@sha256:..." -> ("repo@sha256", "..."):
        // either way "{repository}:{tag}" gives the reference back.
        return tag is not null
            ? (name[..^(tag.Length + 1)], tag + digest)
            : (image[..image.LastIndexOf(':')], image[(image.LastIndexOf(':') + 1)..]);
    }

    /// <summary>The tag after the last ':' that follows the last '/' (an earlier ':' is a registry port); null when none.</summary>
    private static string? TagOf(string name)
    {
        var lastSlash = name.LastIndexOf('/');
        var colon = name.LastIndexOf(':');
        return colon > lastSlash && colon < name.Length - 1 ? name[(colon + 1)..] : null;
    }
}
