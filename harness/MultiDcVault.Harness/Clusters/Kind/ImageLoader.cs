using MultiDcVault.Harness.Clusters;
using MultiDcVault.Harness.Clusters.Docker;
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using MultiDcVault.Harness.Infrastructure.Processes;

namespace MultiDcVault.Harness.Clusters.Kind;

/// <summary>
/// Loads host images into kind clusters, one instance per up. First `kind load docker-image`; when the
/// node-side import fails with "content digest ... not found" (kubernetes-sigs/kind#3795: Docker's
/// containerd image store saves a multi-platform index whose other platforms' blobs and BuildKit
/// attestations are absent), it switches for the rest of the run to archives of just the local
/// platform, `docker image save --platform &lt;os/arch&gt; -o &lt;file&gt; &lt;image&gt;` (Docker CLI 28+), each made
/// once and `kind load image-archive`d into every cluster.
/// </summary>
internal sealed partial class ImageLoader : IClusterImageLoader
{
    private readonly KindCli _kind;
    private readonly IProcessRunner _runner;
    private readonly IEnvironmentDocker _docker;
    private readonly string _archiveDirectory;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _archives = new(StringComparer.Ordinal);
    private volatile bool _useArchives;

    public ImageLoader(KindCli kind, IProcessRunner runner, IEnvironmentDocker docker, string archiveDirectory, ILogger logger)
    {
        _kind = kind;
        _runner = runner;
        _docker = docker;
        _archiveDirectory = archiveDirectory;
        _logger = logger;
    }

    /// <summary>The Docker CLI; `kind` itself needs it on PATH too.</summary>
    public string DockerExecutable { get; init; } = "docker";

    public TimeSpan SaveTimeout { get; init; } = TimeSpan.FromMinutes(10);

    public async Task LoadAsync(string cluster, IReadOnlyList<string> images, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(cluster);
        ArgumentNullException.ThrowIfNull(images);
        if (!_useArchives)
        {
            try
            {
                await _kind.LoadDockerImagesAsync(cluster, images, cancellationToken);
                return;
            }
            catch (ProcessFailedException ex) when (KindCli.IsContentDigestNotFound(ex))
            {
                _useArchives = true;
                LogFallback(_logger, cluster, string.Join(' ', images));
            }
        }

        foreach (var image in images)
        {
            var archive = await _archives.GetOrAdd(image, i => new Lazy<Task<string>>(() => SaveAsync(i, cancellationToken))).Value;
            await _kind.LoadImageArchiveAsync(cluster, archive, cancellationToken);
        }
    }

    /// <summary>Removes the archives (they are as large as the images).</summary>
    public ValueTask DisposeAsync()
    {
        if (Directory.Exists(_archiveDirectory))
        {
            Directory.Delete(_archiveDirectory, recursive: true);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Archive file name for an image: its reference with every character a path could trip on replaced.</summary>
    internal static string ArchiveName(string image) =>
        new string([.. image.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_')]) + ".tar";

    private async Task<string> SaveAsync(string image, CancellationToken cancellationToken)
    {
        // The platform of the local copy, not the daemon's: an image pulled under emulation has another one.
        var local = await _docker.FindImageAsync(image, cancellationToken)
            ?? throw new InvalidOperationException($"Image '{image}' is not in the local Docker engine, so it cannot be saved for `kind load image-archive`.");
        Directory.CreateDirectory(_archiveDirectory);
        var path = Path.Combine(_archiveDirectory, ArchiveName(image));
        await _runner.RunAsync(
            new ProcessSpec(DockerExecutable, ["image", "save", "--platform", local.Platform, "-o", path, image]) { Timeout = SaveTimeout },
            cancellationToken);
        return path;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "kind load docker-image into {Cluster} failed with \"content digest not found\" (Docker's containerd image store, kubernetes-sigs/kind#3795); loading single-platform archives instead ({Images})")]
    private static partial void LogFallback(ILogger logger, string cluster, string images);
}
