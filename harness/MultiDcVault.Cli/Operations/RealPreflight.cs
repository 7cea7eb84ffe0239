using MultiDcVault.Harness.Configuration;
using MultiDcVault.Harness.Infrastructure.Docker;
using MultiDcVault.Harness.Infrastructure.Processes;
using MultiDcVault.Harness.Preflight;

namespace MultiDcVault.Cli.Operations;

/// <summary>The doctor's checks on this machine: the real Docker engine and the real CLIs.</summary>
internal static class RealPreflight
{
    public static async Task<PreflightReport> RunAsync(ExecutableResolver resolver, MultiDcOptions options, CancellationToken cancellationToken)
    {
        DockerClient? docker = null;
        try
        {
            return await MachinePreflight.RunAsync(
                new ProcessRunner(resolver: resolver),
                resolver,
                options,
                async ct => docker = await DockerClient.ConnectAsync(ct),
                TimeProvider.System,
                cancellationToken);
        }
        finally
        {
            docker?.Dispose();
        }
    }
}
