using FluentAssertions;
using MultiDcVault.Harness.Faults;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Faults;

public sealed class LeaderPodLossFaultTests
{
    [Fact]
    public async Task Inject_scales_the_leader_datacenters_vault_statefulset_to_zero_and_heal_back_to_one()
    {
        var scaler = new RecordingScaler();
        var fault = new LeaderPodLossFault(scaler, FaultTopologies.ThreeDatacenters(), "tertiary", "vault-ns");
        var ct = TestContext.Current.CancellationToken;

        await fault.InjectAsync(ct);
        await fault.HealAsync(ct);
        await fault.HealAsync(ct);

        scaler.Calls.Should().Equal(
            ("tertiary", "vault-ns", "vault-tertiary", 0),
            ("tertiary", "vault-ns", "vault-tertiary", 1),
            ("tertiary", "vault-ns", "vault-tertiary", 1));
        fault.Description.Should().Be("leader-pod-loss(tertiary)");
    }
}
