using FluentAssertions;
using MultiDcVault.Harness.Faults;
using MultiDcVault.Harness.Health;
using MultiDcVault.Harness.Infrastructure.Vault;
using Xunit;

namespace MultiDcVault.Harness.Tests.Health;

public sealed class InjectedFaultStatusTests
{
    private const string RawError = "The SSL connection could not be established: connect to 172.18.255.200:8200: No route to host";

    // bank-vaults/vault-operator v1.24.0 pkg/controller/vault/vault_controller.go: the vault container's readinessProbe is
    // GET /v1/sys/health?standbyok=true&perfstandbyok=true&drsecondarycode=299 (period 5 s, failureThreshold 2); Kubernetes
    // counts only 200-399 as success. hashicorp/vault CHANGELOG.md 1.19.0 (GH-28991): a standby that cannot heartbeat
    // the active node answers sys/health with 474 unless haunhealthycode is given. The harness's CRs add it to both probes
    // (vault.yaml), so a partitioned standby normally stays reachable from the host; when it does not answer (a paused
    // node, a pod that went NotReady for another reason), status must say why.
    [Fact]
    public void A_partitioned_datacenter_that_does_not_answer_reads_unreachable_partitioned_and_the_verdict_stays_degraded()
    {
        var observation = Observation();

        var annotated = InjectedFaultStatus.Annotate(observation, [new InjectedFault("primary", InjectedFaultKind.Partitioned)]);

        var primary = annotated.Datacenters.Single(d => d.Name == "primary");
        primary.RaftRole.Should().Be("unreachable (partitioned)");
        primary.Problem.Should().Be("partitioned by the harness; undo with 'multidc heal'");
        annotated.Health.Healthy.Should().BeFalse("a fault in place still degrades the cluster");
        annotated.Health.Problems.Should().NotContain(p => p.Contains("No route to host", StringComparison.Ordinal))
            .And.Contain("primary is unreachable (partitioned): partitioned by the harness; undo with 'multidc heal'");
        annotated.Datacenters.Where(d => d.Name != "primary").Should().Equal(observation.Datacenters.Where(d => d.Name != "primary"));
    }

    [Fact]
    public void Without_an_injected_fault_the_raw_error_stays_and_a_faulted_dc_that_answers_is_left_alone()
    {
        var observation = Observation();

        InjectedFaultStatus.Annotate(observation, []).Should().BeSameAs(observation);
        var annotated = InjectedFaultStatus.Annotate(observation, [new InjectedFault("secondary", InjectedFaultKind.Partitioned)]);

        annotated.Datacenters.Should().Equal(observation.Datacenters);
        annotated.Health.Problems.Should().Contain(p => p.Contains(RawError, StringComparison.Ordinal));
    }

    /// <summary>What the real evaluator makes of primary not answering (its problem text is what the annotation replaces).</summary>
    private static RaftObservation Observation()
    {
        var standby = new VaultLeader { HaEnabled = true, IsSelf = false, LeaderAddress = "https://172.18.255.208:8200" };
        var active = new VaultLeader { HaEnabled = true, IsSelf = true, ActiveTime = DateTimeOffset.UnixEpoch, LeaderAddress = "https://172.18.255.208:8200" };
        NodeLeaderObservation[] observations =
        [
            NodeLeaderObservation.Unreachable("primary", RawError),
            new("secondary", active),
            new("tertiary", standby),
        ];
        var health = RaftHealthEvaluator.Evaluate(null, null, observations, 3);
        health.Problems.Should().Contain(p => p.StartsWith("node primary did not answer sys/leader", StringComparison.Ordinal), "the evaluator's wording is what the annotation relies on");
        return new RaftObservation(health,
        [
            new DatacenterStatus("primary", "172.18.255.200", "vault-primary-0", null, "voter", null, false, RawError),
            new DatacenterStatus("secondary", "172.18.255.208", "vault-secondary-0", false, "leader", TimeSpan.Zero, true, null),
            new DatacenterStatus("tertiary", "172.18.255.216", "vault-tertiary-0", false, "voter", TimeSpan.FromMilliseconds(80), true, null),
        ]);
    }
}
