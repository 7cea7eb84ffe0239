using Microsoft.Extensions.Logging;
using MultiDcVault.Harness.Infrastructure.Docker;

namespace MultiDcVault.Harness.Clusters;

/// <summary>
/// Turns the daemon's per-layer pull chatter into one line per finished layer
/// ("pulling hashicorp/vault:2.0.1: 3/7 layers"), so a slow pull shows it is moving: logged, and
/// passed to <paramref name="report"/> (up shows it as the pull phase's progress).
/// </summary>
internal sealed partial class ImagePullLog(ILogger logger, string image, Action<string>? report = null) : IProgress<ImagePullProgress>
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _layers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _done = new(StringComparer.Ordinal);

    public (int Done, int Seen) Layers
    {
        get
        {
            lock (_gate)
            {
                return (_done.Count, _layers.Count);
            }
        }
    }

    public void Report(ImagePullProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);

        // Lines without an id ("Pulling from ...", "Digest: ...", "Status: ...") describe the image, not a layer.
        if (string.IsNullOrEmpty(value.Id) || value.Status.StartsWith("Pulling from", StringComparison.Ordinal))
        {
            return;
        }

        int done, seen;
        lock (_gate)
        {
            _layers.Add(value.Id);
            var finished = value.Status is "Pull complete" or "Already exists";
            if (!finished || !_done.Add(value.Id))
            {
                return;
            }

            (done, seen) = (_done.Count, _layers.Count);
        }

        LogLayer(logger, image, done, seen);
        report?.Invoke(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{done}/{seen} layers"));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "pulling {Image}: {Done}/{Seen} layers")]
    private static partial void LogLayer(ILogger logger, string image, int done, int seen);
}
