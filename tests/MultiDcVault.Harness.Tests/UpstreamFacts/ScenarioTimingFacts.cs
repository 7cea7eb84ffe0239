using FluentAssertions;
using MultiDcVault.Harness.Configuration;
using MultiDcVault.Harness.Drills;
using MultiDcVault.Harness.Scenarios;
using MultiDcVault.Harness.Scenarios.PowerCycle;
using MultiDcVault.Harness.Scenarios.Soak;
using MultiDcVault.Harness.Verification;
using Xunit;

namespace MultiDcVault.Harness.Tests.UpstreamFacts;

/// <summary>The upstream timings the scenarios' waits are set against; each constant must keep its side of the bound.</summary>
public sealed class ScenarioTimingFacts
{
    // kube-controller-manager --node-monitor-grace-period: 40 s by default up to Kubernetes 1.28
    // (kubernetes/kubernetes cmd/kube-controller-manager/app/options/nodelifecyclecontroller.go, "default 40s"),
    // 50 s from 1.29 (kubernetes/kubernetes#127352). A kind node paused longer than that comes back NotReady.
    private static readonly TimeSpan NodeMonitorGracePeriod = TimeSpan.FromSeconds(40);

    // hashicorp/raft config.go DefaultConfig: LeaderLeaseTimeout 500 ms; Vault multiplies Raft's timeouts by
    // performance_multiplier (hashicorp/vault physical/raft/raft.go). A leader that has not heard from a quorum for a
    // lease steps down (hashicorp/raft raft.go checkLeaderLease: "failed to contact quorum of nodes, stepping down").
    private static readonly TimeSpan RaftLeaderLeaseTimeout = TimeSpan.FromMilliseconds(500);

    // hashicorp/vault command/server.go runUnseal: a failed auto-unseal that is not fatal is retried every 5 s
    // (vault/core.go UnsealWithStoredKeys wraps a failing seal.GetStoredKeys as a non-fatal error).
    private static readonly TimeSpan VaultUnsealRetry = TimeSpan.FromSeconds(5);

    // bank-vaults/vault-operator v1.24.0 pkg/controller/vault/vault_controller.go: the vault container's LivenessProbe
    // sets only its HTTP GET (manifests/vault/vault.yaml overrides only the path), so Kubernetes' defaults apply
    // (k8s.io/api core/v1 types.go Probe: periodSeconds 10, failureThreshold 3): a sealed Vault is restarted after ~30 s.
    private static readonly TimeSpan LivenessRestartsSealedVaultAfter = TimeSpan.FromSeconds(10 * 3);

    [Fact]
    public void Quorum_stays_lost_for_less_than_the_node_monitor_grace_period_even_with_the_observation_during_it() =>
        (new ScenarioTiming().QuorumLossHold + FailoverDrill.DefaultProbeTimeout).Should().BeLessThan(NodeMonitorGracePeriod);

    [Fact]
    public void A_deposed_leaders_reads_are_left_out_for_longer_than_it_takes_its_lease_to_run_out() =>
        StaleReadChecker.IsolationGrace.Should().BeGreaterThan(RaftLeaderLeaseTimeout * new MultiDcOptions().RaftPerformanceMultiplier);

    [Fact]
    public void Central_last_keeps_the_kms_away_long_enough_for_a_failed_unseal_and_short_enough_for_no_liveness_restart()
    {
        PowerCycleScenario.KmsLateBy.Should().BeGreaterThan(VaultUnsealRetry * 2, "every Vault should fail its unseal at least once");
        PowerCycleScenario.KmsLateBy.Should().BeLessThan(LivenessRestartsSealedVaultAfter, "a restarted Vault would make kubelet's back-off the recovery time");
    }

    // moby daemon/exec.go: exec into a paused container is refused ("Container ... is paused, unpause the container
    // before exec", errdefs.Conflict), and the latency fault's inject and heal exec tc into every node.
    [Fact]
    public void The_soak_never_adds_or_removes_latency_while_a_datacenter_is_paused() =>
        SoakSchedule.MayOverlap(SoakFaultKind.Latency, SoakFaultKind.DatacenterPause).Should().BeFalse();
}
