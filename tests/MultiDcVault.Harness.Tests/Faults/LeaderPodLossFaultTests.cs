using FluentAssertions;
using MultiDcVault.Harness.Faults;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Faults;

public sealed class LeaderPodLossFaultTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // bank-vaults/vault-operator v1.24.0 pkg/controller/vault/vault_controller.go, add(): the controller watches only
    // Vault CRs (no Owns/Watches for StatefulSets), and deploy/charts/vault-operator/values.yaml sets syncPeriod "1m"
    // (passed as -sync_period by templates/deployment.yaml). A StatefulSet scaled to 0 therefore comes back only at the
    // next resync, 0-60 s later. Deleting the pod instead lets the StatefulSet controller recreate it at once.
    [Fact]
    public async Task Inject_deletes_the_leader_pod_and_never_scales_heal_waits_for_the_replacement_to_be_ready()
    {
        await using var time = new VirtualTimeProvider();
        var pods = new SimulatedVaultPods { RecreateAfterPolls = 3, ReadyAfterPolls = 4 };
        pods.Seed("tertiary", "vault-tertiary-0");
        var fault = new LeaderPodLossFault(pods, FaultTopologies.ThreeDatacenters(), "tertiary", "vault-ns", time, TimeSpan.FromSeconds(1));

        await fault.InjectAsync(Ct);
        await fault.HealAsync(Ct);
        await fault.HealAsync(Ct);

        pods.Calls.Where(c => !c.StartsWith("get ", StringComparison.Ordinal)).Should().Equal("delete tertiary/vault-ns/vault-tertiary-0");
        fault.Description.Should().Be("leader-pod-loss(tertiary)");
        fault.Mechanism.Should().StartWith("delete pod vault-tertiary-0 through the Kubernetes API");
        var timeline = fault.Timeline!;
        timeline.DeletedAt.Should().Be(time.Start);
        timeline.ReplacementCreatedAt.Should().Be(time.Start + TimeSpan.FromSeconds(2), "the third poll, one second apart, saw the new UID");
        timeline.GoneFor.Should().Be(TimeSpan.FromSeconds(6), "the seventh poll saw it Ready");
    }

    [Fact]
    public async Task Heal_without_inject_does_nothing()
    {
        var pods = new SimulatedVaultPods();
        var fault = new LeaderPodLossFault(pods, FaultTopologies.ThreeDatacenters(), "primary", "default");

        await fault.HealAsync(Ct);

        pods.Calls.Should().BeEmpty();
        fault.Timeline.Should().BeNull();
    }

    [Fact]
    public async Task Inject_refuses_when_the_pod_does_not_exist()
    {
        var pods = new SimulatedVaultPods();
        var fault = new LeaderPodLossFault(pods, FaultTopologies.ThreeDatacenters(), "primary", "default");

        var act = () => fault.InjectAsync(Ct);

        (await act.Should().ThrowAsync<InvalidOperationException>()).WithMessage("Pod vault-primary-0 does not exist in cluster 'primary'*");
        pods.Calls.Should().NotContain(c => c.StartsWith("delete", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Heal_fails_with_what_to_check_when_the_replacement_never_appears()
    {
        await using var time = new VirtualTimeProvider();
        var pods = new SimulatedVaultPods { NeverRecreate = true };
        pods.Seed("primary", "vault-primary-0");
        var fault = new LeaderPodLossFault(pods, FaultTopologies.ThreeDatacenters(), "primary", "default", time, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(2));

        await fault.InjectAsync(Ct);
        var act = () => fault.HealAsync(Ct);

        (await act.Should().ThrowAsync<TimeoutException>())
            .WithMessage("Pod vault-primary-0 in cluster 'primary' was not recreated within 120 s*kubectl get statefulset vault-primary -n default*");
        fault.Timeline!.GoneFor.Should().BeNull();
    }

    [Fact]
    public async Task Heal_names_a_lasting_read_failure_instead_of_only_timing_out()
    {
        await using var time = new VirtualTimeProvider();
        var pods = new SimulatedVaultPods { ReadFailureAfterDelete = new InvalidOperationException("get pod vault-primary-0 in kind-primary: 403 Forbidden") };
        pods.Seed("primary", "vault-primary-0");
        var fault = new LeaderPodLossFault(pods, FaultTopologies.ThreeDatacenters(), "primary", "default", time, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(2));

        await fault.InjectAsync(Ct);
        var act = () => fault.HealAsync(Ct);

        (await act.Should().ThrowAsync<TimeoutException>())
            .WithMessage("Pod vault-primary-0 in cluster 'primary' was not recreated within 120 s after the delete. The last read failed: *403 Forbidden*");
    }
}
