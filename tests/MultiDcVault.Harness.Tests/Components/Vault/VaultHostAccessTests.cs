using FluentAssertions;
using MultiDcVault.Harness.Components.Vault;
using MultiDcVault.Harness.Infrastructure.Kubernetes;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Components.Vault;

/// <summary>How the host reaches each DC's Vault, with kubectl scripted (no cluster, no processes).</summary>
public sealed class VaultHostAccessTests
{
    private static readonly KubeTarget ClusterA = new("/work/multidc/kubeconfig-a", "kind-a");
    private static readonly KubeTarget ClusterB = new("/work/multidc/kubeconfig-b", "kind-b");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Without_port_forwarding_the_load_balancer_address_is_used_and_no_kubectl_runs()
    {
        var runner = new ScriptedProcessRunner();
        await using var access = new VaultHostAccess(new KubectlCli(runner), _ => Task.FromResult(false), "default");

        var address = await access.ExposeAsync(ClusterA, "vault-a", "172.18.255.200", Ct);

        address.Should().Be(new Uri("https://172.18.255.200:8200"));
        runner.Invocations.Should().BeEmpty();
    }

    [Fact]
    public async Task Exposing_a_vault_again_returns_the_same_address_and_dispose_stops_every_forward()
    {
        var runner = new ScriptedProcessRunner();
        runner.OnContaining("kubectl", "svc/vault-a").Returns("Forwarding from 127.0.0.1:40001 -> 8200\n");
        runner.OnContaining("kubectl", "svc/vault-b").Returns("Forwarding from 127.0.0.1:40002 -> 8200\n");
        var access = new VaultHostAccess(new KubectlCli(runner), _ => Task.FromResult(true), "default");

        var a = await access.ExposeAsync(ClusterA, "vault-a", "172.18.255.200", Ct);
        var again = await access.ExposeAsync(ClusterA, "vault-a", "172.18.255.200", Ct);
        var b = await access.ExposeAsync(ClusterB, "vault-b", "172.18.255.210", Ct);

        a.Should().Be(new Uri("https://127.0.0.1:40001"));
        again.Should().Be(a, "an attach must not open a second forward for the same Vault");
        b.Should().Be(new Uri("https://127.0.0.1:40002"));
        runner.Invocations.Should().HaveCount(2);
        runner.Invocations.Should().OnlyContain(i => !i.IsComplete);

        await access.DisposeAsync();

        runner.Invocations.Should().OnlyContain(i => i.IsComplete, "every kubectl port-forward is stopped");
    }

    [Fact]
    public async Task A_vault_whose_kubectl_dies_is_forwarded_again_on_the_address_callers_hold()
    {
        var clock = new FakeTimeProvider();
        var runner = new ScriptedProcessRunner(clock);
        runner.On("kubectl").Returns("Forwarding from 127.0.0.1:40001 -> 8200\n");
        runner.OnContaining("kubectl", "svc/vault-a", ":8200").Once()
            .Returns("Forwarding from 127.0.0.1:40001 -> 8200\n", exitCode: 1, standardError: "error: lost connection to pod");
        var logger = new CapturingLogger<VaultHostAccess>();
        var policy = new PortForwardRestartPolicy { InitialDelay = TimeSpan.FromSeconds(1), PollInterval = TimeSpan.FromHours(1) };
        await using var access = new VaultHostAccess(new KubectlCli(runner), _ => Task.FromResult(true), "vault", logger, clock, policy);

        var address = await access.ExposeAsync(ClusterA, "vault-a", "172.18.255.200", Ct);
        (await Eventually.TrueAsync(() => clock.RequestedDelays.Contains(TimeSpan.FromSeconds(1)))).Should().BeTrue();
        clock.Advance(TimeSpan.FromSeconds(1));
        (await Eventually.TrueAsync(() => runner.Invocations.Count == 2)).Should().BeTrue();

        address.Should().Be(new Uri("https://127.0.0.1:40001"));
        runner.Invocations[1].Text.Should().Be(
            "kubectl --kubeconfig /work/multidc/kubeconfig-a --context kind-a port-forward --namespace vault svc/vault-a 40001:8200 --address 127.0.0.1");
        (await access.ExposeAsync(ClusterA, "vault-a", "172.18.255.200", Ct)).Should().Be(address);
        logger.Messages.Should().Contain(m => m.Contains("broke: kubectl exited (code 1): error: lost connection to pod", StringComparison.Ordinal));
    }
}
