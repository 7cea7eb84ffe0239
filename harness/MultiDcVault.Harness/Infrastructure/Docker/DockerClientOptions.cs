namespace MultiDcVault.Harness.Infrastructure.Docker;

/// <summary>Knobs of <see cref="DockerClient"/>; the defaults suit tests and the CLI.</summary>
internal sealed record DockerClientOptions
{
    /// <summary>
    /// Upper bound for one non-streaming request (inspect, create, remove...). Streaming calls
    /// (pull, exec, logs) are bounded only by the caller's token, since they legitimately run long.
    /// </summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Time source for request timeouts and exec polling; replace in tests.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The newest API version to offer; negotiation picks min(this, server's).</summary>
    public DockerApiVersion MaxApiVersion { get; init; } = DockerApiVersion.Newest;
}
