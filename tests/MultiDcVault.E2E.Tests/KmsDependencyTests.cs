using FluentAssertions;
using MultiDcVault.Fixtures;
using MultiDcVault.Harness.Drills;
using MultiDcVault.Harness.Kubectl;
using MultiDcVault.Harness.Processes;
using MultiDcVault.Harness.Topology;
using MultiDcVault.Harness.Vault;
using Xunit;

namespace MultiDcVault.E2E.Tests;

[Trait("Category", "E2E")]
public sealed class KmsDependencyTests(MultiDcEnvironmentFixture fixture) : E2ETestBase(fixture)
{
    private static readonly TimeSpan RestartTimeout = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task A_restarted_follower_unseals_itself_through_the_central_vault()
    {
        await StartAsync();
        var leader = (await new LeaderLocator(Probe, Env.TimeProvider).WaitForLeaderAsync(HealthyTimeout, Ct)).Datacenter;
        var follower = Env.Datacenters.First(d => d.Name != leader);
        var transit = Fixture.Options!.UnsealMode == UnsealMode.Transit;
        var expectedSeal = transit ? "transit" : "shamir";
        var ns = Env.Plan.Options.Namespace;
        var pod = $"vault-{follower.Name}-0";
        var kubectl = new KubectlCli(new ProcessRunner());
        var target = new KubeTarget(follower.KubeconfigPath, follower.KubeContext);

        var before = await kubectl.GetJsonAsync<PodIdentity>(target, ns, "pod", pod, Ct);
        (await Probe.GetSealStatusAsync(follower.Name, Ct)).Sealed.Should().BeFalse();
        Output.WriteLine($"Deleting pod {pod} (uid {before.Metadata.Uid}) in {follower.Name}; the leader is {leader}.");
        await kubectl.DeleteAsync(target, ns, $"pod/{pod}", Ct, wait: true);

        // The StatefulSet recreates the pod; Vault starts sealed and must unseal without a person (transit: through the
        // central Vault's transit key; kv: bank-vaults reads the keys from the central Vault's KV).
        var deadline = Env.TimeProvider.GetUtcNow() + RestartTimeout;
        VaultSealStatus? seal = null;
        string? lastProblem = null;
        while (true)
        {
            var current = await kubectl.TryGetJsonAsync<PodIdentity>(target, ns, ["pod", pod], Ct);
            if (current is not null && current.Metadata.Uid != before.Metadata.Uid)
            {
                try
                {
                    seal = await Probe.GetSealStatusAsync(follower.Name, Ct);
                    if (seal is { Initialized: true, Sealed: false })
                    {
                        break;
                    }

                    lastProblem = $"new pod {current.Metadata.Uid}: seal-status sealed={seal.Sealed}, initialized={seal.Initialized}";
                }
                catch (Exception ex) when (ex is VaultException or InvalidDataException)
                {
                    lastProblem = $"new pod {current.Metadata.Uid}: {ex.Message}";
                }
            }
            else
            {
                lastProblem = current is null ? "pod not recreated yet" : "old pod still there";
            }

            Env.TimeProvider.GetUtcNow().Should().BeBefore(deadline, $"{follower.Name}'s Vault should be unsealed again within {RestartTimeout.TotalMinutes} min; last: {lastProblem}");
            await Task.Delay(TimeSpan.FromSeconds(2), Env.TimeProvider, Ct);
        }

        Output.WriteLine($"{follower.Name} unsealed again: seal {seal.Type}, recovery_seal {seal.RecoverySeal}.");
        seal.Type.Should().Be(expectedSeal);
        seal.RecoverySeal.Should().Be(transit);

        var healthy = await Health.WaitForHealthyAsync(HealthyTimeout, Ct);
        healthy.Observations.Single(o => o.Node == follower.Name).Leader!.IsSelf.Should().BeFalse("the restarted node rejoins as a follower");
        Fixture.Recorder.Autopilot(healthy.ToAutopilotSnapshot($"{TestName}: after {follower.Name} restarted"));
    }

    private sealed record PodIdentity(PodMetadata Metadata);

    private sealed record PodMetadata(string Name, string Uid);
}
