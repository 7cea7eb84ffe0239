using System.Net;
using System.Text.Json.Nodes;
using k8s.Models;
using MultiDcVault.Harness.Infrastructure.Kubernetes;
using MultiDcVault.Harness.Infrastructure.Polling;
using MultiDcVault.Harness.Planning;

namespace MultiDcVault.Harness.Components.Vault;

/// <summary>Changes the Vault image of one datacenter and waits until its pod runs it. A scripted fake stands in for ordering tests.</summary>
internal interface IVaultImageRollout
{
    /// <summary>Returns once the datacenter's Vault pod was replaced by one running <see cref="VaultImageRolloutRequest.Image"/> and is Ready.</summary>
    /// <exception cref="InvalidOperationException">The pod is absent or not Ready before the change (nothing was patched).</exception>
    /// <exception cref="TimeoutException">The new pod did not run the image and become Ready in time; the message names the pod, its image and phase.</exception>
    Task<VaultImageRolloutResult> RollOutAsync(VaultImageRolloutRequest request, IProgress<string>? progress, CancellationToken cancellationToken);
}

/// <param name="Datacenter">The datacenter (kind cluster) name: its Vault CR, StatefulSet and pod come from <see cref="ClusterIdentity"/>.</param>
/// <param name="Target">That cluster's kubeconfig and context.</param>
/// <param name="Namespace">Namespace of the Vault CR.</param>
/// <param name="Image">The Vault image to run, e.g. hashicorp/vault:2.1.2.</param>
internal sealed record VaultImageRolloutRequest(string Datacenter, KubeTarget Target, string Namespace, string Image)
{
    public ClusterIdentity Identity => new(Datacenter);
}

/// <param name="Replaced">False when the pod already ran the image (nothing to roll; the CR was still set to it).</param>
/// <param name="Took">From the patch until the new pod was Ready.</param>
internal sealed record VaultImageRolloutResult(
    string Datacenter, string Pod, string PreviousImage, string Image, string PreviousUid, string Uid, bool Replaced, TimeSpan Took);

/// <summary>Bounds of one datacenter's rollout.</summary>
internal sealed record VaultImageRolloutOptions
{
    /// <summary>
    /// From the patch until the new pod is Ready: the old pod's termination grace (30 s default), an image pull if the
    /// image was not loaded, the operator's startup probe (up to 18 x 10 s) and bank-vaults' unseal.
    /// </summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);
}

/// <summary>
/// Rolls one datacenter's Vault to a new image through its Vault CR, relying on what bank-vaults/vault-operator v1.24.0
/// and the StatefulSet controller do (pkg/controller/vault/vault_controller.go; VaultImageRolloutFacts tests each):
/// the operator watches Vault CRs and copies spec.image into the "vault" container of the StatefulSet it owns; that
/// StatefulSet has updateStrategy RollingUpdate with partition 0, so the StatefulSet controller itself deletes the
/// size-1 pod and recreates it from the new template (on the same PVC). The operator never deletes pods, and
/// OnDelete is not used, so the rollout does not delete the pod either: a second deletion could only race the
/// controller's. podManagementPolicy is OrderedReady for Raft storage, under which the controller does not touch a
/// pod that is not Running and Ready (kubernetes/enhancements KEP-3541, "Current RollingUpdate Algorithm"): hence the
/// precondition that the pod is Ready, and the timeout's hint that a new pod that never becomes Ready stays as it is.
/// </summary>
internal sealed class VaultImageRollout(KubernetesApi api, VaultImageRolloutOptions options, TimeProvider timeProvider) : IVaultImageRollout
{
    /// <summary>The container the operator gives spec.image (vault_controller.go statefulSetForVault, Name: "vault").</summary>
    public const string VaultContainer = "vault";

    public async Task<VaultImageRolloutResult> RollOutAsync(VaultImageRolloutRequest request, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Image);
        var identity = request.Identity;
        var where = $"{request.Namespace}/{identity.PodName} in {request.Target}";

        var before = await api.TryGetPodAsync(request.Target, request.Namespace, identity.PodName, cancellationToken)
            ?? throw new InvalidOperationException(
                $"Vault pod {where} does not exist, so there is nothing to upgrade in datacenter {request.Datacenter}. Bring the environment up (multidc up) first.");
        var previousImage = VaultImageOf(before) ?? "(no vault container)";
        var previousUid = before.Metadata.Uid ?? string.Empty;
        if (!before.IsReady())
        {
            // OrderedReady: the StatefulSet controller would not replace it, and upgrading a node that is already down
            // proves nothing about a rolling upgrade.
            throw new InvalidOperationException(
                $"Vault pod {where} is not Ready before its upgrade ({Describe(before)}): the StatefulSet (podManagementPolicy OrderedReady) " +
                "does not replace a pod that is not Running and Ready. Wait for it to be Ready, or look at its events: " +
                DescribeCommand(request));
        }

        var started = timeProvider.GetTimestamp();
        await api.MergePatchVaultAsync(request.Target, request.Namespace, identity.VaultName, ImagePatch(request.Image), cancellationToken);
        if (previousImage == request.Image)
        {
            progress?.Report($"{request.Datacenter}: {identity.PodName} already runs {request.Image}; nothing to roll.");
            return new VaultImageRolloutResult(request.Datacenter, identity.PodName, previousImage, request.Image, previousUid, previousUid, Replaced: false, TimeSpan.Zero);
        }

        progress?.Report($"{request.Datacenter}: set Vault {request.Namespace}/{identity.VaultName} spec.image {previousImage} -> {request.Image}; waiting for {identity.PodName} to be replaced.");
        var last = new PodObservation(before, previousUid, request.Image, Transient: null);
        string? reported = null;
        var outcome = await Poll.RunAsync(
            async ct =>
            {
                last = await ObserveAsync(request, previousUid, ct);
                var text = last.Stage;
                if (text != reported)
                {
                    reported = text;
                    progress?.Report($"{request.Datacenter}: {text}");
                }

                return last;
            },
            o => o.Done,
            PollSchedule.For(options.Timeout, options.PollInterval),
            timeProvider,
            cancellationToken);

        if (!outcome.Done)
        {
            var set = await TryReadStatefulSetAsync(request, cancellationToken);
            throw new TimeoutException(TimeoutMessage(request, options.Timeout, last, previousImage, set));
        }

        var took = timeProvider.GetElapsedTime(started);
        progress?.Report($"{request.Datacenter}: {identity.PodName} runs {request.Image} and is Ready after {took.TotalSeconds:0} s.");
        return new VaultImageRolloutResult(
            request.Datacenter, identity.PodName, previousImage, request.Image, previousUid, outcome.Last.Pod!.Metadata.Uid ?? string.Empty, Replaced: true, took);
    }

    /// <summary>The merge patch that sets spec.image and nothing else.</summary>
    public static JsonObject ImagePatch(string image) => new() { ["spec"] = new JsonObject { ["image"] = image } };

    /// <summary>The image of the pod's vault container (its spec: what the kubelet was told to run).</summary>
    public static string? VaultImageOf(V1Pod pod) =>
        pod?.Spec?.Containers?.FirstOrDefault(c => c.Name == VaultContainer)?.Image;

    private async Task<PodObservation> ObserveAsync(VaultImageRolloutRequest request, string previousUid, CancellationToken cancellationToken)
    {
        try
        {
            var pod = await api.TryGetPodAsync(request.Target, request.Namespace, request.Identity.PodName, cancellationToken);
            return new PodObservation(pod, previousUid, request.Image, Transient: null);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && IsTransient(e))
        {
            // The API server busy or restarting is one more poll; the timeout names it if it lasts.
            return new PodObservation(null, previousUid, request.Image, e.Message);
        }
    }

    private async Task<V1StatefulSet?> TryReadStatefulSetAsync(VaultImageRolloutRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await api.TryGetStatefulSetAsync(request.Target, request.Namespace, request.Identity.StatefulSetName, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && IsTransient(e))
        {
            return null; // only for the message
        }
    }

    private static bool IsTransient(Exception e) => e switch
    {
        KubernetesApiException api => (int)api.Status is 429 or >= 500 || api.Status == HttpStatusCode.RequestTimeout,
        HttpRequestException or TimeoutException or IOException => true,
        _ => false,
    };

    private static string TimeoutMessage(VaultImageRolloutRequest request, TimeSpan timeout, PodObservation last, string previousImage, V1StatefulSet? set)
    {
        var identity = request.Identity;
        var pod = last.Pod;
        var podText = pod is null
            ? $"pod {identity.PodName} did not exist at the last look" + (last.Transient is null ? string.Empty : $" (the last read failed: {last.Transient})")
            : $"{(last.Replaced ? "new" : "old")} pod {identity.PodName} image {VaultImageOf(pod) ?? "(no vault container)"}, {Describe(pod)}";
        var templateImage = set?.Spec?.Template?.Spec?.Containers?.FirstOrDefault(c => c.Name == VaultContainer)?.Image;
        var setText = set is null
            ? $"StatefulSet {identity.StatefulSetName} could not be read"
            : $"StatefulSet {identity.StatefulSetName} template image {templateImage ?? "(none)"}, currentRevision {set.Status?.CurrentRevision ?? "?"}, updateRevision {set.Status?.UpdateRevision ?? "?"}";

        string hint;
        if (set is not null && templateImage != request.Image)
        {
            hint = $"The operator has not put {request.Image} into the StatefulSet: check that the vault-operator runs in that cluster and read its logs (it reconciles on every Vault CR change).";
        }
        else if (pod is not null && !last.Replaced)
        {
            hint = "The StatefulSet has the new template but the controller has not replaced the pod; under podManagementPolicy OrderedReady it waits while the pod is not Running and Ready.";
        }
        else
        {
            hint = $"The new pod does not become Ready: for ErrImagePull/ImagePullBackOff load {request.Image} into the kind cluster (or let its node reach the registry); otherwise read the logs of its vault and bank-vaults containers (sealed? failed to join?). " +
                   "The StatefulSet controller will not replace a pod that never became Ready even if the image is changed back: delete it after fixing the cause.";
        }

        return $"Vault in datacenter {request.Datacenter} did not move from {previousImage} to {request.Image} within {timeout}: {podText}; {setText}. {hint} Check with: {DescribeCommand(request)}";
    }

    private static string DescribeCommand(VaultImageRolloutRequest request) =>
        $"kubectl --kubeconfig {request.Target.KubeconfigPath} --context {request.Target.Context} describe pod -n {request.Namespace} {request.Identity.PodName}";

    /// <summary>Phase, readiness, termination and the vault container's state (waiting reason such as ImagePullBackOff).</summary>
    private static string Describe(V1Pod pod)
    {
        var status = pod.Status?.ContainerStatuses?.FirstOrDefault(c => c.Name == VaultContainer);
        var container = status switch
        {
            null => "vault container not started",
            { State.Waiting: { } waiting } => $"vault container waiting: {waiting.Reason}{(string.IsNullOrEmpty(waiting.Message) ? string.Empty : $" ({waiting.Message})")}",
            { State.Terminated: { } terminated } => $"vault container terminated: {terminated.Reason} (exit {terminated.ExitCode})",
            { Ready: true } => "vault container ready",
            _ => "vault container running, not ready",
        };
        return $"phase {pod.Status?.Phase ?? "unknown"}, ready={pod.IsReady()}{(pod.Metadata.DeletionTimestamp is null ? string.Empty : ", terminating")}, {container}";
    }

    /// <summary>One look at the pod: replaced (a new UID, not terminating), running the image, Ready.</summary>
    private sealed record PodObservation(V1Pod? Pod, string PreviousUid, string Image, string? Transient)
    {
        public bool Replaced => Pod is not null && Pod.Metadata.Uid != PreviousUid;

        public bool Done => Replaced && Pod!.Metadata.DeletionTimestamp is null && VaultImageOf(Pod) == Image && Pod.IsReady();

        /// <summary>What the rollout waits on now, for the progress text.</summary>
        public string Stage => this switch
        {
            { Pod: null, Transient: { } failure } => $"the pod could not be read ({failure})",
            { Pod: null } => "the old pod is gone; waiting for the StatefulSet to create the new one",
            { Replaced: false, Pod.Metadata.DeletionTimestamp: not null } => "the old pod is terminating",
            { Replaced: false } => "waiting for the operator to update the StatefulSet and its controller to replace the pod",
            { Done: true } => $"the new pod runs {Image} and is Ready",
            _ when VaultImageOf(Pod!) != Image => $"a new pod runs {VaultImageOf(Pod!)}, not {Image} (made from the old template); waiting for the StatefulSet to replace it",
            _ => $"the new pod runs {Image}: {Describe(Pod!)}",
        };
    }
}
