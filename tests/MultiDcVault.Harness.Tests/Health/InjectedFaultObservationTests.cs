using FluentAssertions;
using MultiDcVault.Harness.Faults;
using MultiDcVault.Harness.Health;
using MultiDcVault.Harness.Infrastructure.Vault;
using Xunit;

namespace MultiDcVault.Harness.Tests.Health;

/// <summary>The Raft observer is given the faults in place, so status says "unreachable (partitioned|paused)" by construction.</summary>
public sealed class InjectedFaultObservationTests
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
        var plain = Observe([]);

        var observed = Observe([new InjectedFault("primary", InjectedFaultKind.Partitioned)]);

        var primary = observed.Datacenters.Single(d => d.Name == "primary");
        primary.RaftRole.Should().Be("unreachable (partitioned)");
        primary.Problem.Should().Be("partitioned by the harness; undo with 'multidc heal'");
        observed.Health.Healthy.Should().BeFalse("a fault in place still degrades the cluster");
        observed.Health.Problems.Should().NotContain(p => p.Contains("No route to host", StringComparison.Ordinal))
            .And.Contain("primary is unreachable (partitioned): partitioned by the harness; undo with 'multidc heal'");
        observed.Datacenters.Where(d => d.Name != "primary").Should().Equal(plain.Datacenters.Where(d => d.Name != "primary"));
    }

    [Fact]
    public void A_paused_datacenter_reads_unreachable_paused()
    {
        var observed = Observe([new InjectedFault("primary", InjectedFaultKind.Paused)]);

        observed.Datacenters.Single(d => d.Name == "primary").RaftRole.Should().Be("unreachable (paused)");
        observed.Health.Problems.Should().Contain("primary is unreachable (paused): paused by the harness; undo with 'multidc heal'");
    }

    [Fact]
    public void Without_an_injected_fault_the_raw_error_stays_and_a_faulted_dc_that_answers_is_left_alone()
    {
        var plain = Observe([]);
        plain.Datacenters.Single(d => d.Name == "primary").Problem.Should().Be(RawError);
        plain.Health.Problems.Should().Contain($"node primary did not answer sys/leader: {RawError}");

        var observed = Observe([new InjectedFault("secondary", InjectedFaultKind.Partitioned)]);

        observed.Datacenters.Should().Equal(plain.Datacenters);
        observed.Health.Problems.Should().Equal(plain.Health.Problems);
    }

    /// <summary>primary does not answer; secondary is active, tertiary a standby.</summary>
    private static RaftObservation Observe(IReadOnlyList<InjectedFault> faults)
    {
        var standby = new VaultLeader { HaEnabled = true, IsSelf = false, LeaderAddress = "https://172.18.255.208:8200" };
        var active = new VaultLeader { HaEnabled = true, IsSelf = true, ActiveTime = DateTimeOffset.UnixEpoch, LeaderAddress = "https://172.18.255.208:8200" };
        RaftObserver.NodeObservation[] nodes =
        [
            new(Endpoint("primary", "172.18.255.200"), null, null, RawError),
            new(Endpoint("secondary", "172.18.255.208"), null, active, null),
            new(Endpoint("tertiary", "172.18.255.216"), null, standby, null),
        ];
        return RaftObserver.Compose(nodes, null, null, rootTokenKnown: true, [], faults);
    }

    private static DatacenterAddress Endpoint(string name, string ip) => new(name, ip);
}
