using System.Globalization;
using Docker.DotNet.Models;

namespace MultiDcVault.Harness.Infrastructure.Docker;

/// <summary>
/// Collects a pull's progress messages: reports each one synchronously (Progress&lt;T&gt; would post
/// to the thread pool and lose the order) and keeps the first error the daemon wrote into the stream.
/// </summary>
internal sealed class ImagePullMessages(IProgress<ImagePullProgress>? progress) : IProgress<JSONMessage>
{
    public string? Error { get; private set; }

    public void Report(JSONMessage value)
    {
        if (value.Error?.Message is { Length: > 0 } error)
        {
            Error ??= error;
            return;
        }

        var bytes = value.Progress is { Current: { } current, Total: { } total and > 0 }
            ? string.Create(CultureInfo.InvariantCulture, $"{current}/{total} bytes")
            : null;
        progress?.Report(new ImagePullProgress(value.ID, value.Status ?? string.Empty, bytes));
    }
}
