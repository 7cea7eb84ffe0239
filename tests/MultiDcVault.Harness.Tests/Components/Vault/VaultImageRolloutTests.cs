using System.Text.Json.Nodes;
using FluentAssertions;
using MultiDcVault.Harness.Components.Vault;
using MultiDcVault.Harness.Infrastructure.Kubernetes;
using MultiDcVault.Harness.Tests.TestSupport.KubeApi;
using Xunit;

namespace MultiDcVault.Harness.Tests.Components.Vault;

/// <summary>
/// <see cref="VaultImageRollout"/> against the recording Kubernetes API stand-in: the PATCH it sends (compared with
/// kubectl's for the same change) and its wait through the StatefulSet's replacement of the pod, scripted as the
/// sequence of pod states the API server would show: old pod Ready, terminating, absent, new pod starting, Ready.
/// </summary>
[Trait("Category", "KubernetesApi")]
public sealed class VaultImageRolloutTests : IAsyncLifetime
{
    private const string From = "hashicorp/vault:2.0.4";
    private const string To = "hashicorp/vault:2.1.2";
    private const string PodPath = "/api/v1/namespaces/default/pods/vault-secondary-0";
    private const string VaultPath = "/apis/vault.banzaicloud.com/v1alpha1/namespaces/default/vaults/vault-secondary";
    private const string OldUid = "11111111-0000-4000-8000-000000000001";
    private const string NewUid = "22222222-0000-4000-8000-000000000002";

    private readonly StandInSession _session = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private VaultImageRolloutRequest Request => new("secondary", _session.Target, "default", To);

    public ValueTask InitializeAsync()
    {
        _session.StandIn.Api.Put(VaultCr(From));
        _session.StandIn.Api.Put(Pod(OldUid, From, ready: true));
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _session.DisposeAsync();

    [Fact]
    public async Task Patches_only_spec_image_of_the_vault_cr_with_the_request_kubectl_patch_type_merge_sends()
    {
        var patch = VaultImageRollout.ImagePatch(To);
        var ours = await _session.RecordAsync(() => _session.Api.MergePatchVaultAsync(_session.Target, "default", "vault-secondary", patch, Ct));
        _session.StandIn.Api.Put(VaultCr(From));
        var kubectl = await _session.KubectlAsync(
            Ct, null, "patch", "vaults.vault.banzaicloud.com", "vault-secondary", "--namespace", "default",
            "--type", "merge", "-p", patch.ToJsonString(), "--field-manager=multidc");

        var mine = StandInSession.Operations(ours).Single();
        // kubectl's resource builder reads the object before patching it (to name it and say "no change"); the PATCH
        // alone carries the change, so ours is only that.
        StandInSession.Operations(kubectl).Select(r => $"{r.Method} {r.Path}").Should().Equal($"GET {VaultPath}", $"PATCH {VaultPath}");
        StandInSession.Operations(ours).Should().ContainSingle();
        var theirs = StandInSession.Operations(kubectl)[1];
        mine.Method.Should().Be("PATCH");
        mine.Path.Should().Be(VaultPath);
        mine.MediaType.Should().Be("application/merge-patch+json", "a JSON merge patch changes the named fields and leaves the rest of the CR as applied");
        mine.QueryParameters.Select(p => $"{p.Key}={p.Value}").Should().Equal("fieldManager=multidc");
        JsonNode.DeepEquals(JsonNode.Parse(mine.Body), JsonNode.Parse("""{"spec":{"image":"hashicorp/vault:2.1.2"}}""")).Should().BeTrue(mine.Body);
        (theirs.Method, theirs.Path, theirs.MediaType).Should().Be((mine.Method, mine.Path, mine.MediaType));
        theirs.QueryParameters.Select(p => $"{p.Key}={p.Value}").Should().Equal("fieldManager=multidc");
        StandInSession.SameJson(mine.Body, theirs.Body).Should().BeTrue($"ours: {mine.Body}, kubectl's: {theirs.Body}");

        // The merge keeps every other field of the CR.
        var after = await _session.Api.TryGetVaultObjectAsync(_session.Target, "default", "vault-secondary", Ct);
        after!["spec"]!["image"]!.GetValue<string>().Should().Be(To);
        after["spec"]!["size"]!.GetValue<int>().Should().Be(1);
        after["spec"]!["bankVaultsImage"]!.GetValue<string>().Should().Be("ghcr.io/bank-vaults/bank-vaults:v1.33.1");
    }

    [Fact]
    public async Task Patching_an_absent_vault_cr_is_a_not_found_error_naming_it()
    {
        var act = () => _session.Api.MergePatchVaultAsync(_session.Target, "default", "vault-nope", VaultImageRollout.ImagePatch(To), Ct);

        (await act.Should().ThrowAsync<KubernetesApiException>()).Which.Message.Should().Contain("patch vault default/vault-nope");
    }

    [Fact]
    public async Task Waits_from_the_old_pod_through_its_replacement_until_the_new_image_is_ready()
    {
        // After the patch: two reads of the old pod, one while it terminates, one with no pod, the new pod
        // not Ready yet (pulling), then Ready. Before the patch the stored old pod answers.
        var afterPatch = new Queue<StandInResponse>(
        [
            Ok(Pod(OldUid, From, ready: true)),
            Ok(Pod(OldUid, From, ready: true)),
            Ok(Pod(OldUid, From, ready: false, terminating: true)),
            new StandInResponse(404, StandInObjects.Status(404, "NotFound", "pods \"vault-secondary-0\" not found")),
            Ok(Pod(NewUid, To, ready: false, phase: "Pending", waiting: "ContainerCreating")),
            Ok(Pod(NewUid, To, ready: false)),
            Ok(Pod(NewUid, To, ready: true)),
        ]);
        var patched = false;
        _session.StandIn.Api.Override = r =>
        {
            if (r.Method == "PATCH")
            {
                patched = true;
                return null;
            }

            return patched && r.Method == "GET" && r.Path == PodPath && afterPatch.Count > 0 ? afterPatch.Dequeue() : null;
        };
        var progress = new Recorder();

        var requests = await _session.RecordAsync(async () =>
        {
            var result = await Rollout(TimeSpan.FromSeconds(30)).RollOutAsync(Request, progress, Ct);
            result.Should().BeEquivalentTo(new
            {
                Datacenter = "secondary", Pod = "vault-secondary-0", PreviousImage = From, Image = To, PreviousUid = OldUid, Uid = NewUid, Replaced = true,
            });
        });

        afterPatch.Should().BeEmpty("it waited through every state until the new pod was Ready");
        var operations = StandInSession.Operations(requests).Select(r => $"{r.Method} {r.Path}").ToList();
        operations[0].Should().Be($"GET {PodPath}", "the pod is read before anything changes");
        operations[1].Should().Be($"PATCH {VaultPath}");
        operations.Skip(2).Should().OnlyContain(o => o == $"GET {PodPath}", "the rollout only watches: the StatefulSet controller replaces the pod");
        operations.Should().NotContain(o => o.StartsWith("DELETE", StringComparison.Ordinal));
        progress.Lines.Should().ContainInOrder(
            "secondary: set Vault default/vault-secondary spec.image hashicorp/vault:2.0.4 -> hashicorp/vault:2.1.2; waiting for vault-secondary-0 to be replaced.",
            "secondary: waiting for the operator to update the StatefulSet and its controller to replace the pod",
            "secondary: the old pod is terminating",
            "secondary: the old pod is gone; waiting for the StatefulSet to create the new one",
            "secondary: the new pod runs hashicorp/vault:2.1.2: phase Pending, ready=False, vault container waiting: ContainerCreating",
            "secondary: the new pod runs hashicorp/vault:2.1.2: phase Running, ready=False, vault container running, not ready",
            "secondary: the new pod runs hashicorp/vault:2.1.2 and is Ready");
        progress.Lines.Where(l => l.Contains("waiting for the operator", StringComparison.Ordinal)).Should().ContainSingle("a state is reported once, not on every poll");
    }

    [Fact]
    public async Task A_new_pod_made_from_the_old_template_is_not_the_upgrade()
    {
        // The StatefulSet recreated the pod before the operator updated its template: same image, new UID. The wait
        // goes on until a pod with the new image is Ready.
        var afterPatch = new Queue<StandInResponse>([Ok(Pod(NewUid, From, ready: true)), Ok(Pod("33333333-0000-4000-8000-000000000003", To, ready: true))]);
        var patched = false;
        _session.StandIn.Api.Override = r =>
        {
            patched |= r.Method == "PATCH";
            return patched && r.Method == "GET" && r.Path == PodPath && afterPatch.Count > 0 ? afterPatch.Dequeue() : null;
        };
        var progress = new Recorder();

        var result = await Rollout(TimeSpan.FromSeconds(30)).RollOutAsync(Request, progress, Ct);

        result.Uid.Should().Be("33333333-0000-4000-8000-000000000003");
        progress.Lines.Should().Contain("secondary: a new pod runs hashicorp/vault:2.0.4, not hashicorp/vault:2.1.2 (made from the old template); waiting for the StatefulSet to replace it");
    }

    [Fact]
    public async Task A_new_pod_that_never_becomes_ready_times_out_naming_the_pod_its_image_phase_and_the_cause()
    {
        _session.StandIn.Api.Put(StatefulSet(To));
        var patched = false;
        _session.StandIn.Api.Override = r =>
        {
            patched |= r.Method == "PATCH";
            return patched && r.Method == "GET" && r.Path == PodPath
                ? Ok(Pod(NewUid, To, ready: false, phase: "Pending", waiting: "ImagePullBackOff", waitingMessage: "Back-off pulling image \\\"hashicorp/vault:2.1.2\\\""))
                : null;
        };

        var act = () => Rollout(TimeSpan.FromMilliseconds(300)).RollOutAsync(Request, null, Ct);

        (await act.Should().ThrowAsync<TimeoutException>()).Which.Message.Should()
            .Contain("Vault in datacenter secondary did not move from hashicorp/vault:2.0.4 to hashicorp/vault:2.1.2 within 00:00:00.3000000")
            .And.Contain("new pod vault-secondary-0 image hashicorp/vault:2.1.2, phase Pending, ready=False, vault container waiting: ImagePullBackOff (Back-off pulling image")
            .And.Contain("StatefulSet vault-secondary template image hashicorp/vault:2.1.2, currentRevision vault-secondary-6d5f, updateRevision vault-secondary-7c9b")
            .And.Contain("load hashicorp/vault:2.1.2 into the kind cluster")
            .And.Contain($"describe pod -n default vault-secondary-0");
    }

    [Fact]
    public async Task An_operator_that_never_updates_the_statefulset_times_out_pointing_at_the_operator()
    {
        _session.StandIn.Api.Put(StatefulSet(From));

        var act = () => Rollout(TimeSpan.FromMilliseconds(300)).RollOutAsync(Request, null, Ct);

        (await act.Should().ThrowAsync<TimeoutException>()).Which.Message.Should()
            .Contain("old pod vault-secondary-0 image hashicorp/vault:2.0.4, phase Running, ready=True")
            .And.Contain("template image hashicorp/vault:2.0.4")
            .And.Contain("The operator has not put hashicorp/vault:2.1.2 into the StatefulSet");
    }

    [Fact]
    public async Task A_pod_that_is_not_ready_before_the_upgrade_is_refused_before_any_patch()
    {
        _session.StandIn.Api.Put(Pod(OldUid, From, ready: false));

        var requests = await _session.RecordAsync(async () =>
        {
            var act = () => Rollout(TimeSpan.FromSeconds(5)).RollOutAsync(Request, null, Ct);
            (await act.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should()
                .Contain("Vault pod default/vault-secondary-0").And.Contain("is not Ready before its upgrade").And.Contain("OrderedReady");
        });

        requests.Should().NotContain(r => r.Method == "PATCH");
    }

    [Fact]
    public async Task An_absent_pod_is_refused_before_any_patch()
    {
        await _session.Api.DeletePodAsync(_session.Target, "default", "vault-secondary-0", Ct);

        var requests = await _session.RecordAsync(async () =>
        {
            var act = () => Rollout(TimeSpan.FromSeconds(5)).RollOutAsync(Request, null, Ct);
            (await act.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("does not exist");
        });

        requests.Should().NotContain(r => r.Method == "PATCH");
    }

    [Fact]
    public async Task A_pod_already_on_the_image_is_not_rolled_but_the_cr_is_set_to_it()
    {
        _session.StandIn.Api.Put(Pod(OldUid, To, ready: true));

        var result = await Rollout(TimeSpan.FromSeconds(5)).RollOutAsync(Request, null, Ct);

        result.Replaced.Should().BeFalse();
        result.Uid.Should().Be(OldUid);
        (await _session.Api.TryGetVaultObjectAsync(_session.Target, "default", "vault-secondary", Ct))!["spec"]!["image"]!.GetValue<string>().Should().Be(To);
    }

    [Fact]
    public async Task A_cancelled_wait_is_a_cancellation_not_a_timeout()
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var progress = new Recorder(line =>
        {
            if (line.Contains("waiting for the operator", StringComparison.Ordinal))
            {
                cancel.Cancel();
            }
        });

        var act = () => Rollout(TimeSpan.FromMinutes(5)).RollOutAsync(Request, progress, cancel.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    private VaultImageRollout Rollout(TimeSpan timeout) =>
        new(_session.Api, new VaultImageRolloutOptions { Timeout = timeout, PollInterval = TimeSpan.FromMilliseconds(10) }, TimeProvider.System);

    private static StandInResponse Ok(string body) => new(200, body);

    // The CR as the harness renders it (manifests/vault/vault.yaml), trimmed to the fields the merge must keep.
    private static string VaultCr(string image) => """
        {"apiVersion":"vault.banzaicloud.com/v1alpha1","kind":"Vault","metadata":{"name":"vault-secondary","namespace":"default"},
         "spec":{"size":1,"image":"@IMAGE","bankVaultsImage":"ghcr.io/bank-vaults/bank-vaults:v1.33.1","serviceType":"LoadBalancer"},
         "status":{"nodes":["vault-secondary-0"],"leader":"","conditions":[{"type":"Healthy","status":"True"}]}}
        """.Replace("@IMAGE", image);

    // A pod of the operator's StatefulSet (vault_controller.go statefulSetForVault): containers "vault" (spec.image)
    // and "bank-vaults"; the kubelet's containerStatuses say whether it waits (reason) or runs.
    private static string Pod(string uid, string image, bool ready, bool terminating = false, string phase = "Running", string? waiting = null, string? waitingMessage = null) => """
        {"apiVersion":"v1","kind":"Pod",
         "metadata":{"name":"vault-secondary-0","namespace":"default","uid":"@UID",@DELETION"labels":{"app.kubernetes.io/name":"vault","vault_cr":"vault-secondary"}},
         "spec":{"containers":[{"name":"vault","image":"@IMAGE"},{"name":"bank-vaults","image":"ghcr.io/bank-vaults/bank-vaults:v1.33.1"}]},
         "status":{"phase":"@PHASE","conditions":[{"type":"Ready","status":"@READY"}],
           "containerStatuses":[{"name":"vault","ready":@BOOL,"restartCount":0,"image":"docker.io/@IMAGE","imageID":"","started":@STARTED,"state":@STATE}]}}
        """
        .Replace("@UID", uid).Replace("@IMAGE", image).Replace("@PHASE", phase)
        .Replace("@DELETION", terminating ? "\"deletionTimestamp\":\"2026-12-02T17:30:00Z\"," : string.Empty)
        .Replace("@READY", ready ? "True" : "False").Replace("@BOOL", ready ? "true" : "false").Replace("@STARTED", waiting is null ? "true" : "false")
        .Replace("@STATE", waiting is null
            ? """{"running":{"startedAt":"2026-12-02T17:30:05Z"}}"""
            : "{\"waiting\":{\"reason\":\"" + waiting + "\"" + (waitingMessage is null ? string.Empty : ",\"message\":\"" + waitingMessage + "\"") + "}}");

    private static string StatefulSet(string templateImage) => """
        {"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"vault-secondary","namespace":"default"},
         "spec":{"replicas":1,"podManagementPolicy":"OrderedReady","updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"partition":0}},
                 "selector":{"matchLabels":{"vault_cr":"vault-secondary"}},
                 "template":{"metadata":{},"spec":{"containers":[{"name":"vault","image":"@IMAGE"}]}}},
         "status":{"replicas":1,"readyReplicas":0,"currentRevision":"vault-secondary-6d5f","updateRevision":"vault-secondary-7c9b"}}
        """.Replace("@IMAGE", templateImage);

    private sealed class Recorder(Action<string>? onReport = null) : IProgress<string>
    {
        private readonly List<string> _lines = [];

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_lines)
                {
                    return [.. _lines];
                }
            }
        }

        public void Report(string value)
        {
            lock (_lines)
            {
                _lines.Add(value);
            }

            onReport?.Invoke(value);
        }
    }
}
