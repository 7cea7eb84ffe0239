using MultiDcVault.Harness.Clusters.Kind;
using MultiDcVault.Harness.Infrastructure.Helm;
using MultiDcVault.Harness.Infrastructure.Kubernetes;
using MultiDcVault.Harness.Infrastructure.Processes;

namespace MultiDcVault.Harness.Preflight;

/// <summary>
/// The doctor: Docker, kind/helm (and the optional kubectl) and their versions, inotify limits, free memory and whether the
/// planned pools fit the network. Everything runs locally (no network), concurrently, and never throws
/// for a finding: each problem becomes one line with its fix.
/// </summary>
internal sealed class PreflightRunner
{
    public const string DockerName = "docker";
    public const string SubnetName = "subnet";

    /// <summary>What kubectl is still used for; everything else goes through the Kubernetes API.</summary>
    public const string KubectlPurpose = "kubectl is optional: only the port-forward on Docker Desktop and the describe/events text of the diagnostics bundle use it";

    private readonly IProcessRunner _runner;
    private readonly ExecutableResolver _resolver;
    private readonly PreflightSettings _settings;
    private readonly Func<CancellationToken, Task<PreflightCheck>> _dockerCheck;
    private readonly Func<CancellationToken, Task<PreflightCheck>>? _subnetCheck;

    /// <param name="runner">Runs the version commands.</param>
    /// <param name="resolver">The same resolver the runner uses, so "found" means "will run".</param>
    /// <param name="settings">Minimum versions, limits and file locations.</param>
    /// <param name="dockerCheck">The Docker line (<see cref="DockerEngineCheck"/>): which engine answers, or what is wrong.</param>
    /// <param name="subnetCheck">Whether the MetalLB pools fit (<see cref="SubnetCheck"/>); null reports the check as skipped.</param>
    public PreflightRunner(
        IProcessRunner runner,
        ExecutableResolver resolver,
        PreflightSettings settings,
        Func<CancellationToken, Task<PreflightCheck>> dockerCheck,
        Func<CancellationToken, Task<PreflightCheck>>? subnetCheck = null)
    {
        _runner = runner ?? throw new ArgumentNullException(nameof(runner));
        _resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _dockerCheck = dockerCheck ?? throw new ArgumentNullException(nameof(dockerCheck));
        _subnetCheck = subnetCheck;
    }

    public async Task<PreflightReport> RunAsync(CancellationToken cancellationToken)
    {
        var kind = new KindCli(_runner, new KindCliOptions { Executable = _settings.Kind.Executable });
        var kubectl = new KubectlCli(_runner, options: new KubectlOptions { Executable = _settings.Kubectl.Executable });
        var helm = new HelmCli(_runner, _settings.Helm.Executable);

        Task<PreflightCheck>[] checks =
        [
            GuardAsync(DockerName, _dockerCheck, DockerEngineCheck.Fix, cancellationToken),
            new ToolCheck(_settings.Kind, _resolver, kind.GetVersionAsync).RunAsync(_settings.ToolTimeout, cancellationToken),
            OptionalAsync(new ToolCheck(_settings.Kubectl, _resolver, kubectl.GetClientVersionAsync).RunAsync(_settings.ToolTimeout, cancellationToken), KubectlPurpose),
            new ToolCheck(_settings.Helm, _resolver, helm.GetVersionAsync).RunAsync(_settings.ToolTimeout, cancellationToken),
            Task.FromResult(HostLimitChecks.CheckInotify(_settings)),
            Task.FromResult(HostLimitChecks.CheckMemory(_settings)),
            _subnetCheck is null
                ? Task.FromResult(PreflightCheck.Skipped(SubnetName, "not checked here (up plans the pools against the network it creates or finds)."))
                : GuardAsync(SubnetName, _subnetCheck, SubnetCheck.Fix, cancellationToken),
        ];

        return new PreflightReport(await Task.WhenAll(checks));
    }

    /// <summary>A tool only some paths need: missing or too old is a warning that says what it is for, never a stop.</summary>
    private static async Task<PreflightCheck> OptionalAsync(Task<PreflightCheck> check, string purpose)
    {
        var result = await check;
        return result.Status == PreflightStatus.Fail
            ? PreflightCheck.Warn(result.Name, $"{result.Detail} ({purpose})", result.Fix ?? string.Empty)
            : result with { Detail = $"{result.Detail} ({purpose})" };
    }

    private static async Task<PreflightCheck> GuardAsync(string name, Func<CancellationToken, Task<PreflightCheck>> check, string fix, CancellationToken cancellationToken)
    {
        try
        {
            return await check(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A check that throws is a finding, not a crash of the doctor.
            return PreflightCheck.Fail(name, $"check failed: {ex.Message}", fix);
        }
    }
}
