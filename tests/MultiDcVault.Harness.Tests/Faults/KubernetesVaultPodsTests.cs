using FluentAssertions;
using MultiDcVault.Harness.Faults;
using MultiDcVault.Harness.Infrastructure.Kubernetes;
using MultiDcVault.Harness.Tests.TestSupport.KubeApi;
using Xunit;

namespace MultiDcVault.Harness.Tests.Faults;

[Trait("Category", "KubernetesApi")]
public sealed class KubernetesVaultPodsTests : IAsyncLifetime
{
    private readonly StandInSession _session = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private KubernetesVaultPods Pods => new(_session.Api, new Dictionary<string, KubeTarget> { ["primary"] = _session.Target });

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _session.DisposeAsync();

    // The fields read from a core/v1 Pod (ObjectMeta): metadata.uid changes when the StatefulSet controller
    // recreates a deleted pod; metadata.deletionTimestamp is set while the old one terminates.
    [Fact]
    public async Task Reads_uid_readiness_and_termination_and_deletes_without_waiting()
    {
        _session.StandIn.Api.Put(StandInObjects.Pod("vault-primary-0", ready: false, deletionTimestamp: "2026-12-02T05:40:31Z"));

        var pod = await Pods.GetAsync("primary", "default", "vault-primary-0", Ct);
        var requests = await _session.RecordAsync(() => Pods.DeleteAsync("primary", "default", "vault-primary-0", Ct));

        pod.Should().Be(new VaultPodState("7c1f3a9e-0d2b-4b8e-9f61-3a2c5d4e6f70", Ready: false, Terminating: true));

        // One DELETE and no wait for the pod to go: what `kubectl delete --wait=false` sends.
        requests.Should().ContainSingle().Which.Should().Match<RecordedRequest>(r =>
            r.Method == "DELETE" && r.Path == "/api/v1/namespaces/default/pods/vault-primary-0" && r.Body.Contains("\"propagationPolicy\":\"Background\""));
    }

    [Fact]
    public async Task An_absent_pod_is_null_and_an_unknown_cluster_is_a_clear_error()
    {
        (await Pods.GetAsync("primary", "default", "vault-primary-0", Ct)).Should().BeNull();
        var act = () => Pods.DeleteAsync("quaternary", "default", "vault-quaternary-0", Ct);
        (await act.Should().ThrowAsync<ArgumentException>()).WithMessage("No cluster 'quaternary' in this environment (primary)*");
    }
}
