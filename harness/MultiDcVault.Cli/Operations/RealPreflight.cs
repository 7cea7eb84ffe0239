using MultiDcVault.Harness.Configuration;
using MultiDcVault.Harness.Infrastructure.Docker;
using MultiDcVault.Harness.Infrastructure.Processes;
using MultiDcVault.Harness.Preflight;

namespace MultiDcVault.Cli.Operations;

/// <summary>The doctor's checks on this machine: the real Docker engine and the real CLIs.</summary>
internal static class RealPreflight
{
    public static Task<PreflightReport> RunAsync(ExecutableResolver resolver, MultiDcOptions options, CancellationToken cancellationToken)
    {
        var runner = new PreflightRunner(
            new ProcessRunner(resolver: resolver),
            resolver,
            new PreflightSettings { ClusterCount = options.ClusterNames.Count },
            ProbeDockerAsync);
        return runner.RunAsync(cancellationToken);
    }

    private static async Task<string?> ProbeDockerAsync(CancellationToken cancellationToken)
    {
        using var docker = await DockerClient.ConnectAsync(cancellationToken);
        return await docker.PingAsync(cancellationToken) ? null : $"the engine at {docker.Endpoint} does not answer /_ping.";
    }
}
