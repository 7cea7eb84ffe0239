using MultiDcVault.Harness.Configuration;
using MultiDcVault.Harness.Infrastructure.Docker;
using MultiDcVault.Harness.Infrastructure.Processes;

namespace MultiDcVault.Harness.Preflight;

/// <summary>
/// The preflight of this machine for a set of options, as both <c>up</c> and <c>multidc doctor</c> run it:
/// the tools, the host limits, the Docker engine and whether the pools fit the network.
/// </summary>
internal static class MachinePreflight
{
    /// <param name="connect">The engine to check; when it cannot be reached, the Docker line fails and the subnet line is skipped.</param>
    public static async Task<PreflightReport> RunAsync(
        IProcessRunner runner,
        ExecutableResolver resolver,
        MultiDcOptions options,
        Func<CancellationToken, Task<DockerClient>> connect,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(connect);
        DockerClient? docker = null;
        PreflightCheck? unreachable = null;
        try
        {
            docker = await connect(cancellationToken);
        }
        catch (DockerException ex)
        {
            unreachable = PreflightCheck.Fail(PreflightRunner.DockerName, ex.Message, DockerEngineCheck.Fix);
        }

        return await new PreflightRunner(
            runner,
            resolver,
            new PreflightSettings { ClusterCount = options.ClusterNames.Count },
            ct => docker is null ? Task.FromResult(unreachable!) : DockerEngineCheck.RunAsync(docker, DockerEngineCheck.DefaultTimeout, time, ct),
            ct => docker is null
                ? Task.FromResult(PreflightCheck.Skipped(PreflightRunner.SubnetName, "not checked: Docker is not reachable."))
                : SubnetCheck.RunAsync(docker, options, SubnetCheck.ReadLinuxRoutes(), ct)).RunAsync(cancellationToken);
    }
}
