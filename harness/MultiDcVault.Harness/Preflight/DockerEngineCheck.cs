using MultiDcVault.Harness.Infrastructure.Docker;

namespace MultiDcVault.Harness.Preflight;

/// <summary>The doctor's Docker line: which engine answers, where, and which API version the harness will speak.</summary>
internal static class DockerEngineCheck
{
    public const string Fix = "Start Docker (Docker Desktop, or `sudo systemctl start docker`) and check that DOCKER_HOST / `docker context` point at it.";

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Asks the engine for its version within <paramref name="timeout"/>; a finding, never a throw.</summary>
    public static async Task<PreflightCheck> RunAsync(DockerClient docker, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(docker);
        using var timer = new CancellationTokenSource(timeout, time);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            var version = await docker.VersionAsync(bounded.Token);
            return PreflightCheck.Ok(
                PreflightRunner.DockerName,
                $"Docker Engine {version.Version} (API {docker.ServerApiVersion}; the harness speaks {docker.ApiVersion}) at {docker.Endpoint}.");
        }
        catch (DockerException ex)
        {
            return PreflightCheck.Fail(PreflightRunner.DockerName, ex.Message, Fix);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return PreflightCheck.Fail(PreflightRunner.DockerName, $"the engine at {docker.Endpoint} did not answer within {timeout.TotalSeconds:0} s.", Fix);
        }
    }

    /// <summary>Connects first (the docker CLI's endpoint order), then <see cref="RunAsync(DockerClient, TimeSpan, TimeProvider, CancellationToken)"/>.</summary>
    public static async Task<PreflightCheck> ConnectAndRunAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timer = new CancellationTokenSource(timeout, time);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            using var docker = await DockerClient.ConnectAsync(bounded.Token);
            return await RunAsync(docker, timeout, time, cancellationToken);
        }
        catch (DockerException ex)
        {
            return PreflightCheck.Fail(PreflightRunner.DockerName, ex.Message, Fix);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return PreflightCheck.Fail(PreflightRunner.DockerName, $"no Docker engine answered within {timeout.TotalSeconds:0} s.", Fix);
        }
    }
}
