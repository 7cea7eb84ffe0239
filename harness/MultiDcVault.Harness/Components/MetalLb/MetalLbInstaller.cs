using MultiDcVault.Harness.Configuration;
using Microsoft.Extensions.Logging;
using MultiDcVault.Harness.Infrastructure.Kubernetes;
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
internal sealed partial class MetalLbInstaller(IKubernetesOperations kube, UpSettings settings, TimeProvider timeProvider, ILogger logger)
{
    public const string ControllerDeployment = "controller";
    public const string SpeakerSelector = "app=metallb,component=speaker";

    private static readonly string[] WebhookNotReadyMarkers = ["failed calling webhook", "connection refused", "no endpoints available"];

    /// <summary>Applies the verified native manifest (a file in the tool cache), then waits for the controller and speakers.</summary>
    public async Task InstallAsync(KubeTarget target, string nativeManifestPath, CancellationToken cancellationToken)
    {
        await kube.ApplyFileAsync(target, nativeManifestPath, cancellationToken);
        await kube.WaitForDeploymentAvailableAsync(target, VaultConventions.MetalLbNamespace, ControllerDeployment, settings.MetalLbReadyTimeout, cancellationToken);
        await kube.WaitForPodsReadyAsync(target, VaultConventions.MetalLbNamespace, SpeakerSelector, settings.MetalLbReadyTimeout, cancellationToken);
    }

    public async Task ApplyPoolsAsync(KubeTarget target, RenderedManifest pools, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pools);
        await Poll.RetryAsync(
            ct => kube.ApplyAsync(target, pools.Content, ct),
            IsWebhookNotReady,
            PollSchedule.For(settings.MetalLbWebhookTimeout, settings.MetalLbWebhookRetryDelay),
            timeProvider,
            cancellationToken,
            (retry, _) =>
            {
                LogWebhookNotReady(logger, target.Context, retry.Attempt);
                return ValueTask.CompletedTask;
            });
    }

    /// <summary>
    /// True for the API server's answers while MetalLB's webhook Service cannot answer yet: an InternalError Status
    /// whose message says the webhook call failed. Any other refusal (an invalid pool) is final.
    /// </summary>
    public static bool IsWebhookNotReady(Exception error) =>
        error is KubernetesApiException refused && WebhookNotReadyMarkers.Any(m => refused.ServerMessage.Contains(m, StringComparison.OrdinalIgnoreCase));

    [LoggerMessage(Level = LogLevel.Information, Message = "MetalLB webhook in {Context} is not serving yet (attempt {Attempt}); retrying the pool")]
    private static partial void LogWebhookNotReady(ILogger logger, string context, int attempt);
}
