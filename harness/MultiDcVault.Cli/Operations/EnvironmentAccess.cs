using MultiDcVault.Harness.Configuration;
using MultiDcVault.Harness.Environment.State;
using MultiDcVault.Harness.Environment;
using MultiDcVault.Harness.Provisioning;

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
        return services.CreateEnvironment(options with { Keep = true }, EnvironmentServicesFor(console, services, toolDirectory));
    }

    /// <summary>What the harness runs on: the CLI's clock, the provisioned tools (before PATH) and the tool cache.</summary>
    public static EnvironmentServices EnvironmentServicesFor(CliConsole console, CliServices services, string? toolDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(services);
        return new EnvironmentServices
        {
            TimeProvider = services.TimeProvider,
            ToolDirectory = toolDirectory ?? ToolCache.FromEnvironment(console.ReadVariable).ExistingBinDirectory,
            CacheDirectory = ToolCache.FromEnvironment(console.ReadVariable).Root,
        };
    }

    public static async Task<EnvironmentHandle> AttachAsync(IMultiDcEnvironment environment, CancellationToken cancellationToken) =>
        await environment.TryAttachAsync(cancellationToken)
        ?? throw new NoEnvironmentException(NoEnvironmentMessage(environment.Options, "running "));

    /// <summary>The heal's attach: a stopped central Vault is started first where the environment can (see <see cref="IHealAttach"/>).</summary>
    public static async Task<EnvironmentHandle> AttachForHealAsync(IMultiDcEnvironment environment, CancellationToken cancellationToken) =>
        await (environment is IHealAttach heal ? heal.TryAttachForHealAsync(cancellationToken) : environment.TryAttachAsync(cancellationToken))
        ?? throw new NoEnvironmentException(NoEnvironmentMessage(environment.Options, "running "));

    /// <summary>
    /// True when 'multidc up' ever recorded anything for this session: up writes its state file from
    /// its first phase on, so a half-built environment (the one worth collecting logs of) counts.
    /// </summary>
    public static bool WasEverStarted(MultiDcOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var store = new EnvironmentStateStore(options.WorkDirectory);
        return File.Exists(store.StatePath) || File.Exists(store.SecretsPath);
    }

    public static string NoEnvironmentMessage(MultiDcOptions options, string kind = "")
    {
        ArgumentNullException.ThrowIfNull(options);
        return $"no {kind}environment for session '{options.Session}' (work directory {options.WorkDirectory}). " +
            "Start one with 'multidc up', or pass the --session it was started with.";
    }
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
