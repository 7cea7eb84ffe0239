namespace MultiDcVault.Harness.Infrastructure.Docker;

/// <summary>Image operations: look up local images and pull missing ones.</summary>
public sealed class DockerImages
{
    private readonly DockerTransport _transport;

    internal DockerImages(DockerTransport transport) => _transport = transport;

    /// <summary>Returns the local image, or throws <see cref="DockerImageNotFoundException"/>.</summary>
    public Task<DockerImage> InspectAsync(string image, CancellationToken cancellationToken) =>
        _transport.GetJsonAsync<DockerImage>($"images/{Uri.EscapeDataString(image)}/json", ErrorMap.ImageMissingOn404(image), cancellationToken);

    public async Task<bool> ExistsAsync(string image, CancellationToken cancellationToken)
    {
        try
        {
            await InspectAsync(image, cancellationToken);
            return true;
        }
        catch (DockerImageNotFoundException)
        {
            return false;
        }
    }

    /// <summary>
    /// Pulls an image, reporting each progress line. Errors the daemon puts inside the stream
    /// (unknown tag, registry unreachable) surface as <see cref="DockerApiException"/>.
    /// </summary>
    public async Task PullAsync(string image, IProgress<ImagePullProgress>? progress, CancellationToken cancellationToken)
    {
        var (name, tag) = SplitReference(image);
        var path = $"images/create?fromImage={Uri.EscapeDataString(name)}&tag={Uri.EscapeDataString(tag)}";
        using var response = await _transport.OpenStreamAsync(HttpMethod.Post, path, null, ErrorMap.Default, cancellationToken);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        await ImagePullStreamReader.ReadAsync(stream, image, progress, cancellationToken);
    }

    /// <summary>Splits "repo[:tag|@digest]" the way the API wants it; no tag means "latest" (not "all tags").</summary>
    internal static (string Name, string Tag) SplitReference(string image)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(image);
        var at = image.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            return (image[..at], image[(at + 1)..]);
        }

        var colon = image.LastIndexOf(':');
        var slash = image.LastIndexOf('/');
        return colon > slash ? (image[..colon], image[(colon + 1)..]) : (image, "latest");
    }
}
