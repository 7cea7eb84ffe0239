using MultiDcVault.Harness.Clusters.Docker;
using MultiDcVault.Harness.Configuration;
using MultiDcVault.Harness.Clusters.Kind;
using MultiDcVault.Harness.Components.Kms;
using MultiDcVault.Harness.Health;
using MultiDcVault.Harness.Infrastructure.Kubernetes;
using MultiDcVault.Harness.Infrastructure.Processes;
using MultiDcVault.Harness.Preflight;
using MultiDcVault.Harness.Provisioning;

namespace MultiDcVault.Harness.Environment;

/// <summary>
/// Everything an environment talks to. The factory fills it with the real adapters; tests replace
/// them with a scripted process runner and small fakes to run whole ups and downs in memory.
/// </summary>
internal sealed record EnvironmentPorts
{
    public required IProcessRunner Runner { get; init; }

    /// <summary>Starts port-forwards; defaults to the runner when it can.</summary>
    public IBackgroundProcessLauncher? Launcher { get; init; }

    public required IEnvironmentDocker Docker { get; init; }

    public required ICentralVaultProvider CentralVaults { get; init; }

    public required IRaftProbe RaftProbe { get; init; }

    /// <summary>Where the pinned upstream manifests (MetalLB's native manifest) come from, verified.</summary>
    public required IPinnedManifestSource Manifests { get; init; }

    /// <summary>The doctor's checks; any Fail stops up before anything is created.</summary>
    public required Func<CancellationToken, Task<PreflightReport>> Preflight { get; init; }

    public UpSettings Settings { get; init; } = new();

    public KindCliOptions Kind { get; init; } = new();

    public KubectlOptions Kubectl { get; init; } = new();

    /// <summary>The Kubernetes API operations of the components; null: the environment's own <see cref="KubernetesApi"/>.</summary>
    public IKubernetesOperations? Kubernetes { get; init; }

    public IAsyncDisposable? OwnedResources { get; init; }
}
