using FluentAssertions;
using MultiDcVault.Harness.Faults;
using MultiDcVault.Harness.Infrastructure.Kubernetes;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Faults;

public sealed class KubectlVaultPodsTests
{
    private static readonly KubeTarget Primary = new("/work/multidc/kube/primary.kubeconfig", "kind-primary");

    private readonly ScriptedProcessRunner _runner = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private KubectlVaultPods Pods => new(new KubectlCli(_runner), new Dictionary<string, KubeTarget> { ["primary"] = Primary });

    // The fields read from `kubectl get pod -o json` (Kubernetes core/v1 ObjectMeta): metadata.uid changes when the
    // StatefulSet controller recreates a deleted pod; metadata.deletionTimestamp is set while the old one terminates.
    [Fact]
    public async Task Reads_uid_readiness_and_termination_and_deletes_without_waiting()
    {
        _runner.OnContaining("kubectl", "get").Returns("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"vault-primary-0","namespace":"default",
             "uid":"7c1f3a9e-0d2b-4b8e-9f61-3a2c5d4e6f70","deletionTimestamp":"2026-12-02T05:40:31Z"},
             "status":{"phase":"Running","conditions":[{"type":"Ready","status":"False"}]}}
            """);
        _runner.OnContaining("kubectl", "delete").Returns("pod \"vault-primary-0\" deleted\n");

        var pod = await Pods.GetAsync("primary", "default", "vault-primary-0", Ct);
        await Pods.DeleteAsync("primary", "default", "vault-primary-0", Ct);

        pod.Should().Be(new Harness.Faults.VaultPodState("7c1f3a9e-0d2b-4b8e-9f61-3a2c5d4e6f70", Ready: false, Terminating: true));
        _runner.Invocations[1].Arguments.Skip(4).Should().Equal("delete", "--namespace", "default", "pod/vault-primary-0", "--ignore-not-found", "--wait=false");
    }

    [Fact]
    public async Task An_absent_pod_is_null_and_an_unknown_cluster_is_a_clear_error()
    {
        _runner.On("kubectl").Fails(1, "Error from server (NotFound): pods \"vault-primary-0\" not found\n");

        (await Pods.GetAsync("primary", "default", "vault-primary-0", Ct)).Should().BeNull();
        var act = () => Pods.DeleteAsync("quaternary", "default", "vault-quaternary-0", Ct);
        (await act.Should().ThrowAsync<ArgumentException>()).WithMessage("No cluster 'quaternary' in this environment (primary)*");
    }
}
