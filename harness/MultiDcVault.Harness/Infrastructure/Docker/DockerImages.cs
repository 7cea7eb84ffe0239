using Docker.DotNet.Models;
using Engine = Docker.DotNet;

namespace MultiDcVault.Harness.Infrastructure.Docker;

/// <summary>Image inspection and pulls.</summary>
internal sealed class DockerImages
{
    private readonly Engine.DockerClient _engine;
    private readonly DockerCalls _calls;

    internal DockerImages(Engine.DockerClient engine, DockerCalls calls)
    {
        _engine = engine;
        _calls = calls;
    }

    /// <summary>Inspects a local image; a missing one throws <see cref="DockerImageNotFoundException"/>.</summary>
    public Task<ImageInspectResponse> InspectAsync(string image, CancellationToken cancellationToken) =>
        _calls.RunAsync($"GET /images/{image}/json", ct => _engine.Images.InspectImageAsync(image, ct), cancellationToken, DockerErrors.ImageMissingOn404(image));

    /// <summary>True when the image is present locally.</summary>
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
    /// Pulls an image, reporting progress. The daemon answers 200 first and reports most failures
    /// (unknown tag, registry down, auth) as an error message later in the stream: that throws.
    /// </summary>
    public async Task PullAsync(string image, IProgress<ImagePullProgress>? progress, CancellationToken cancellationToken)
    {
        var (name, tag) = SplitReference(image);
        var messages = new ImagePullMessages(progress);
        await _calls.StreamAsync(
            "POST /images/create",
            async ct =>
            {
                await _engine.Images.CreateImageAsync(new ImagesCreateParameters { FromImage = name, Tag = tag }, null, messages, ct);
                return true;
            },
            cancellationToken);
        if (messages.Error is { } error)
        {
            throw new DockerApiException(System.Net.HttpStatusCode.OK, error, "POST /images/create",
                $"Pulling '{image}' failed; check the image name, registry reachability and `docker login`, "
                + "or load the image from a file (`docker load -i <file>`).");
        }
    }

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
