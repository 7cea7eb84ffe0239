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
        PreflightCheck? unreachable = null;
        try
        {
            docker = await DockerClient.ConnectAsync(cancellationToken);
        }
        catch (DockerException ex)
        {
            unreachable = PreflightCheck.Fail(PreflightRunner.DockerName, ex.Message, DockerEngineCheck.Fix);
        }

        using (docker)
        {
            var runner = new PreflightRunner(
                new ProcessRunner(resolver: resolver),
                resolver,
                new PreflightSettings { ClusterCount = options.ClusterNames.Count },
                ct => docker is null ? Task.FromResult(unreachable!) : DockerEngineCheck.RunAsync(docker, DockerEngineCheck.DefaultTimeout, TimeProvider.System, ct),
                ct => docker is null
                    ? Task.FromResult(PreflightCheck.Skipped(PreflightRunner.SubnetName, "not checked: Docker is not reachable."))
                    : SubnetCheck.RunAsync(docker, options, SubnetCheck.ReadLinuxRoutes(), ct));
            return await runner.RunAsync(cancellationToken);
        }
    }
}
