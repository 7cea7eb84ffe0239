using FluentAssertions;
using MultiDcVault.Fixtures;
using MultiDcVault.Harness.Configuration;
using MultiDcVault.Harness.Health;
using MultiDcVault.Harness.Infrastructure.Kubernetes;
using MultiDcVault.Harness.Infrastructure.Vault;
using Xunit;

namespace MultiDcVault.E2E.Tests;

[Trait("Category", "E2E")]
public sealed class KmsDependencyTests(MultiDcEnvironmentFixture fixture) : E2ETestBase(fixture)
{
    private static readonly TimeSpan RestartTimeout = TimeSpan.FromMinutes(5);

    /// <summary>How long the KMS stays away after the follower's pod was deleted.</summary>
    private static readonly TimeSpan KmsOutageWindow = TimeSpan.FromSeconds(45);

    /// <summary>
    /// A sealed Vault keeps retrying its unseal (hashicorp/vault command/server.go, every 5 s), but the operator's
    /// liveness probe (sys/health?standbyok=true: 503 while sealed; vault-operator v1.24.0 vault_controller.go) restarts
    /// it, and the bank-vaults sidecar exits while it cannot read the central KV (bank-vaults v1.33.1 cmd/bank-vaults/unseal.go):
    /// both back off (CrashLoopBackOff grows towards 5 min), so the return after the KMS is back can take minutes.
    /// </summary>
    private static readonly TimeSpan KmsReturnTimeout = TimeSpan.FromMinutes(8);

    [Fact]
    public async Task A_restarted_follower_unseals_itself_through_the_central_vault()
    {
        await StartAsync();
        var leader = (await new RaftObserver(Probe, Env.TimeProvider).WaitForLeaderAsync(HealthyTimeout, Ct)).Datacenter;
        var follower = Env.Datacenters.First(d => d.Name != leader);
        var transit = Fixture.Options!.UnsealMode == UnsealMode.Transit;
        var expectedSeal = transit ? "transit" : "shamir";
        var ns = Env.Plan.Options.Namespace;
        var pod = follower.Identity.PodName;
        using var kube = new KubernetesApi();
        var target = new KubeTarget(follower.KubeconfigPath, follower.KubeContext);

        var before = await kube.TryGetPodAsync(target, ns, pod, Ct) ?? throw new InvalidOperationException($"pod {ns}/{pod} does not exist in {target}");
        (await Probe.GetSealStatusAsync(follower.Name, Ct)).Sealed.Should().BeFalse();
        Output.WriteLine($"Deleting pod {pod} (uid {before.Metadata.Uid}) in {follower.Name}; the leader is {leader}.");
        await kube.DeletePodAsync(target, ns, pod, Ct);

        // The StatefulSet recreates the pod; Vault starts sealed and must unseal without a person (transit: through the
        // central Vault's transit key; kv: bank-vaults reads the keys from the central Vault's KV).
        var seal = await WaitUntilUnsealedAgainAsync(kube, target, follower.Name, ns, pod, before.Metadata.Uid, RestartTimeout);
        Output.WriteLine($"{follower.Name} unsealed again: seal {seal.Type}, recovery_seal {seal.RecoverySeal}.");
        seal.Type.Should().Be(expectedSeal);
        seal.RecoverySeal.Should().Be(transit);

        var healthy = await Health.WaitForHealthyAsync(HealthyTimeout, Ct);
        healthy.Observations.Single(o => o.Node == follower.Name).Leader!.IsSelf.Should().BeFalse("the restarted node rejoins as a follower");
        Fixture.Recorder.Autopilot(healthy.ToAutopilotSnapshot($"{TestName}: after {follower.Name} restarted"));
    }

    [Fact]
    public async Task While_the_kms_is_away_a_restarted_follower_stays_sealed_the_others_keep_taking_writes_and_it_unseals_when_the_kms_is_back()
    {
        await StartAsync();
        var leader = (await new RaftObserver(Probe, Env.TimeProvider).WaitForLeaderAsync(HealthyTimeout, Ct)).Datacenter;
        var follower = Env.Datacenters.First(d => d.Name != leader);
        var ns = Env.Plan.Options.Namespace;
        var pod = follower.Identity.PodName;
        using var kube = new KubernetesApi();
        var target = new KubeTarget(follower.KubeconfigPath, follower.KubeContext);
        var run = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var acknowledged = new List<(string Key, long Value)>();
        var before = await kube.TryGetPodAsync(target, ns, pod, Ct) ?? throw new InvalidOperationException($"pod {ns}/{pod} does not exist in {target}");

        Output.WriteLine($"Stopping the central Vault (the KMS); then deleting {pod} in {follower.Name}. The leader is {leader}.");
        await Env.StopCentralVaultAsync(Ct);
        try
        {
            await kube.DeletePodAsync(target, ns, pod, Ct);

            // For the outage window: the other DCs take writes through the leader, and the restarted follower never unseals.
            var windowEnds = Env.TimeProvider.GetUtcNow() + KmsOutageWindow;
            var sealedObservations = 0;
            for (var i = 0; Env.TimeProvider.GetUtcNow() < windowEnds; i++)
            {
                var key = $"kms-outage/{run}/{i}";
                await Probe.WriteCounterAsync(leader, key, run + i, Ct);
                acknowledged.Add((key, run + i));
                try
                {
                    var seal = await Probe.GetSealStatusAsync(follower.Name, Ct);
                    seal.Sealed.Should().BeTrue($"{follower.Name} restarted while its KMS is away, so nothing can unseal it");
                    sealedObservations++;
                }
                catch (VaultException ex)
                {
                    // A sealed pod is NotReady; only a joining cluster's Service publishes not-ready addresses
                    // (vault-operator PublishNotReadyAddresses), so the bootstrap cluster's Vault is unreachable instead: just as sealed.
                    Output.WriteLine($"{follower.Name} unreachable while the KMS is away: {ex.Message}");
                }

                await Task.Delay(TimeSpan.FromSeconds(2), Env.TimeProvider, Ct);
            }

            Output.WriteLine($"During the KMS outage: {acknowledged.Count} writes acknowledged through {leader}; {follower.Name} answered sealed {sealedObservations} times.");
            acknowledged.Should().NotBeEmpty("the unsealed DCs keep serving writes while the KMS is away");
        }
        finally
        {
            // Always bring the KMS back: without it no later test could heal.
            using var restore = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            await Env.StartCentralVaultAsync(restore.Token);
        }

        Output.WriteLine("Central Vault started again and unsealed; waiting for the follower to unseal by itself.");
        var unsealed = await WaitUntilUnsealedAgainAsync(kube, target, follower.Name, ns, pod, before.Metadata.Uid, KmsReturnTimeout);
        unsealed.Initialized.Should().BeTrue();
        await Health.WaitForHealthyAsync(HealthyTimeout, Ct);

        foreach (var dc in Env.Datacenters)
        {
            foreach (var (key, value) in acknowledged)
            {
                (await Probe.ReadCounterAsync(dc.Name, key, Ct)).Should().Be(value, $"{key} was acknowledged during the KMS outage and must be readable through {dc.Name}");
            }
        }
    }

    /// <summary>Polls until the pod was recreated (new uid) and its Vault reports initialised and unsealed.</summary>
    private async Task<VaultSealStatus> WaitUntilUnsealedAgainAsync(
        KubernetesApi kube, KubeTarget target, string datacenter, string ns, string pod, string oldUid, TimeSpan timeout)
    {
        var deadline = Env.TimeProvider.GetUtcNow() + timeout;
        string? lastProblem = null;
        while (true)
        {
            var current = await kube.TryGetPodAsync(target, ns, pod, Ct);
            if (current is not null && current.Metadata.Uid != oldUid)
            {
                try
                {
                    var seal = await Probe.GetSealStatusAsync(datacenter, Ct);
                    if (seal is { Initialized: true, Sealed: false })
                    {
                        return seal;
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

            Env.TimeProvider.GetUtcNow().Should().BeBefore(deadline, $"{pod}'s Vault should be unsealed again within {timeout.TotalMinutes} min; last: {lastProblem}");
            await Task.Delay(TimeSpan.FromSeconds(2), Env.TimeProvider, Ct);
        }
    }
}
