using MultiDcVault.Harness.Configuration;
using Microsoft.Extensions.Logging;
using MultiDcVault.Harness.Infrastructure.Kubernetes;
using MultiDcVault.Harness.Infrastructure.Processes;
using MultiDcVault.Harness.Planning.Manifests;
using MultiDcVault.Harness.Infrastructure.Polling;
using MultiDcVault.Harness.Planning;

namespace MultiDcVault.Harness.Components.MetalLb;

/// <summary>
/// MetalLB in one cluster: the native manifest at the pinned version (fetched once per run and verified,
/// see <see cref="Provisioning.PinnedManifestCache"/>), then the
/// controller Deployment and speaker pods, then the planned pool, retried while the admission webhook
/// that validates pools is not serving yet (its Service has no endpoints for a while after the pods start).
/// </summary>
public sealed partial class MetalLbInstaller(KubectlCli kubectl, UpSettings settings, TimeProvider timeProvider, ILogger logger)
{
    public const string ControllerDeployment = "controller";
    public const string SpeakerSelector = "app=metallb,component=speaker";

    private static readonly string[] WebhookNotReadyMarkers = ["failed calling webhook", "connection refused", "no endpoints available"];

    /// <summary>Applies the verified native manifest (a file in the tool cache), then waits for the controller and speakers.</summary>
    public async Task InstallAsync(KubeTarget target, string nativeManifestPath, CancellationToken cancellationToken)
    {
        await kubectl.ApplyFileAsync(target, nativeManifestPath, cancellationToken);
        await kubectl.WaitForDeploymentAvailableAsync(target, VaultConventions.MetalLbNamespace, ControllerDeployment, settings.MetalLbReadyTimeout, cancellationToken);
        await kubectl.WaitForPodsReadyAsync(target, VaultConventions.MetalLbNamespace, SpeakerSelector, settings.MetalLbReadyTimeout, cancellationToken);
    }

    public async Task ApplyPoolsAsync(KubeTarget target, RenderedManifest pools, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pools);
        await Poll.RetryAsync(
            ct => kubectl.ApplyAsync(target, pools.Content, ct),
            ex => ex is ProcessFailedException failed && IsWebhookNotReady(failed),
            PollSchedule.For(settings.MetalLbWebhookTimeout, settings.MetalLbWebhookRetryDelay),
            timeProvider,
            cancellationToken,
            (retry, _) =>
            {
                LogWebhookNotReady(logger, target.Context, retry.Attempt);
                return ValueTask.CompletedTask;
            });
    }

    /// <summary>True for the errors kubectl prints while MetalLB's webhook Service cannot answer yet.</summary>
    public static bool IsWebhookNotReady(ProcessFailedException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var text = error.StandardErrorTail + "\n" + error.StandardOutputTail;
        return WebhookNotReadyMarkers.Any(m => text.Contains(m, StringComparison.OrdinalIgnoreCase));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "MetalLB webhook in {Context} is not serving yet (attempt {Attempt}); retrying the pool")]
    private static partial void LogWebhookNotReady(ILogger logger, string context, int attempt);
}
