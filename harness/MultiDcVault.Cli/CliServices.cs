using MultiDcVault.Cli.Commands;
using MultiDcVault.Cli.Operations;
using MultiDcVault.Harness.Configuration;
using MultiDcVault.Harness.Drills;
using MultiDcVault.Harness.Environment;
using MultiDcVault.Harness.Health;
using MultiDcVault.Harness.Infrastructure.Processes;
using MultiDcVault.Harness.Preflight;
using MultiDcVault.Harness.Provisioning;

namespace MultiDcVault.Cli;

/// <summary>
/// What the commands run against. The defaults are the real engine; tests replace single
/// members (a fake environment, a local download server) through this one seam.
/// </summary>
internal sealed record CliServices
{
    public static CliServices Default { get; } = new();

    /// <summary>Builds the environment for bound options; ToolDirectory is the provisioned tools' bin directory when there is one.</summary>
    public Func<MultiDcOptions, EnvironmentServices, IMultiDcEnvironment> CreateEnvironment { get; init; } =
        (options, services) => MultiDcEnvironmentFactory.Create(options, services);

    /// <summary>Runs the doctor's checks, finding tools with the given resolver.</summary>
    public Func<ExecutableResolver, MultiDcOptions, CancellationToken, Task<PreflightReport>> RunPreflight { get; init; } = RealPreflight.RunAsync;

    /// <summary>Removes every labelled leftover of any session (down --all).</summary>
    public Func<MultiDcOptions, EnvironmentServices, bool, CancellationToken, Task<TeardownReport>> SweepAllSessions { get; init; } =
        MultiDcEnvironmentFactory.SweepAllSessionsAsync;

    /// <summary>Versions and checksums installed by doctor --fix and up --install-tools.</summary>
    public IReadOnlyList<ToolRelease> ToolCatalog { get; init; } = PinnedTools.All;

    /// <summary>Download root replacing each publisher's (a mirror; tests point it at 127.0.0.1).</summary>
    public Uri? ToolBaseUrl { get; init; }

    public HttpMessageHandler? ToolHttpHandler { get; init; }

    /// <summary>Runs the failover drill against a running environment (real Vault clients and faults by default).</summary>
    public Func<EnvironmentHandle, FailoverDrillOptions, IProgress<string>?, CancellationToken, Task<FailoverDrillResult>> RunFailoverDrill { get; init; } =
        Commands.FailoverCommand.RunRealDrillAsync;

    /// <summary>Runs a validated scenario request against a running environment (real Vault clients and faults by default).</summary>
    public Func<EnvironmentHandle, Harness.Scenarios.ScenarioRequest, IProgress<string>?, CancellationToken, Task<IReadOnlyList<Harness.Scenarios.ScenarioResult>>> RunScenario { get; init; } =
        Commands.ScenarioCommand.RunRealAsync;

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
