using MultiDcVault.Harness.Orchestration;
using MultiDcVault.Harness.Provisioning;
using MultiDcVault.Harness.Topology;

namespace MultiDcVault.Cli.Operations;

/// <summary>Creates the environment a command works on and attaches to a running one.</summary>
internal static class EnvironmentAccess
{
    /// <summary>
    /// Options always carry Keep: the CLI manages an environment across processes, so disposing
    /// it at the end of one command must never tear it down (only 'multidc down' does).
    /// </summary>
    public static IMultiDcEnvironment Create(MultiDcOptions options, CliConsole console, CliServices services, string? toolDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var environmentServices = new EnvironmentServices
        {
            TimeProvider = services.TimeProvider,
            ToolDirectory = toolDirectory ?? ToolCache.FromEnvironment(console.ReadVariable).ExistingBinDirectory,
        };
        return services.CreateEnvironment(options with { Keep = true }, environmentServices);
    }

    public static async Task<EnvironmentHandle> AttachAsync(IMultiDcEnvironment environment, CancellationToken cancellationToken) =>
        await environment.TryAttachAsync(cancellationToken)
        ?? throw new NoEnvironmentException(
            $"no running environment for session '{environment.Options.Session}' (work directory {environment.Options.WorkDirectory}). " +
            "Start one with 'multidc up', or pass the --session it was started with.");
}

/// <summary>The command needs a running environment and there is none.</summary>
internal sealed class NoEnvironmentException : Exception
{
    public NoEnvironmentException()
    {
    }

    public NoEnvironmentException(string message)
        : base(message)
    {
    }

    public NoEnvironmentException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
