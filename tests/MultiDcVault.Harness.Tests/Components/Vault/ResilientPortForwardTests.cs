using System.Globalization;
using FluentAssertions;
using MultiDcVault.Harness.Components.Vault;
using MultiDcVault.Harness.Infrastructure.Kubernetes;
using MultiDcVault.Harness.Infrastructure.Processes;
using MultiDcVault.Harness.Tests.Infrastructure.Processes;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;
using ProcessProbe = MultiDcVault.Harness.Tests.Infrastructure.Processes.ProcessProbe;

namespace MultiDcVault.Harness.Tests.Components.Vault;

/// <summary>
/// The forward that survives its pod, against a fake kubectl run as a real process (a /bin/sh script
/// that prints kubectl's "Forwarding from" line and then behaves as the test tells it through files).
/// </summary>
public sealed class ResilientPortForwardTests : IDisposable
{
    private static readonly KubeTarget Target = new("/work/multidc/kubeconfig-a", "kind-a");
    private static readonly PortForwardRestartPolicy FastRestarts = new() { InitialDelay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromMilliseconds(80), PollInterval = TimeSpan.FromMilliseconds(100) };

    private readonly string _dir = Directory.CreateTempSubdirectory("multidc-rpf-").FullName;
    private readonly CapturingLogger<ResilientPortForward> _logger = new();

    public ResilientPortForwardTests() => Assert.SkipWhen(OperatingSystem.IsWindows(), "The fake kubectl is a /bin/sh script.");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Kubectl_exiting_is_restarted_on_the_same_local_port_and_dispose_leaves_no_kubectl()
    {
        var forward = await StartAsync();
        await using var _ = forward; // also on failure; disposing twice is harmless
        var first = Pids().Single();
        forward.HttpsUri.Should().Be(new Uri("https://127.0.0.1:45678"));

        Touch($"exit-{first}");

        (await Eventually.TrueAsync(() => Pids().Count == 2 && forward.IsForwarding)).Should().BeTrue("kubectl must be started again; {0}", Trace());
        forward.HttpsUri.Should().Be(new Uri("https://127.0.0.1:45678"), "callers keep the address they were given");
        forward.Restarts.Should().Be(1);
        Args()[1].Should().Be("--kubeconfig /work/multidc/kubeconfig-a --context kind-a port-forward --namespace default svc/vault-a 45678:8200 --address 127.0.0.1");
        _logger.Messages.Should().Contain(m => m.Contains("broke: kubectl exited (code 1): error: lost connection to pod", StringComparison.Ordinal));
        _logger.Messages.Should().Contain("port-forward to svc/vault-a (namespace default, context kind-a) restarted on 127.0.0.1:45678 (attempt 1)");

        await forward.DisposeAsync();

        var second = Pids()[1];
        (await ProcessProbe.WaitUntilDeadAsync(first)).Should().BeTrue();
        (await ProcessProbe.WaitUntilDeadAsync(second)).Should().BeTrue("dispose kills the current kubectl");
        forward.IsForwarding.Should().BeFalse();
    }

    [Fact]
    public async Task Kubectl_that_stays_up_but_reports_its_pod_gone_is_replaced()
    {
        var forward = await StartAsync();
        await using var _ = forward;
        var first = Pids().Single();

        Touch($"gone-{first}");

        (await Eventually.TrueAsync(() => Pids().Count == 2 && forward.IsForwarding)).Should().BeTrue("kubectl must be replaced; {0}", Trace());
        (await ProcessProbe.WaitUntilDeadAsync(first)).Should().BeTrue("the stale kubectl holds the port, so it must be killed before the restart");
        _logger.Messages.Should().Contain(m => m.Contains("kubectl still runs but cannot reach its pod", StringComparison.Ordinal) &&
                                               m.Contains("error forwarding port 8200 to pod", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dispose_while_a_restart_waits_for_kubectl_kills_that_kubectl_too()
    {
        var forward = await StartAsync();
        await using var _ = forward;
        var first = Pids().Single();
        Touch("hold");

        Touch($"exit-{first}");
        (await Eventually.TrueAsync(() => Pids().Count == 2)).Should().BeTrue("a restart must start; {0}", Trace());
        await forward.DisposeAsync();

        var restarting = Pids()[1];
        (await ProcessProbe.WaitUntilDeadAsync(restarting)).Should().BeTrue("a kubectl started by a restart racing with dispose must not survive it");
        Pids().Should().HaveCount(2, "nothing restarts after dispose");
        forward.Restarts.Should().Be(0);
    }

    [Fact]
    public async Task Restarts_back_off_on_the_injected_clock_and_report_a_taken_port()
    {
        var clock = new FakeTimeProvider();
        var runner = new ScriptedProcessRunner(clock);
        runner.On("kubectl").Returns("Forwarding from 127.0.0.1:40001 -> 8200\n");
        runner.OnContaining("kubectl", "svc/vault-a", "40001:8200").Times(3).Fails(1,
            "E0101 00:00:00.000000 1 portforward.go:413] Unable to listen on port 40001: Listeners failed to create with the following errors: " +
            "[unable to create listener: Error listen tcp4 127.0.0.1:40001: bind: address already in use]\n" +
            "error: unable to listen on any of the requested ports: [{40001 8200}]");
        runner.OnContaining("kubectl", "svc/vault-a", ":8200").Once().Returns("Forwarding from 127.0.0.1:40001 -> 8200\n", exitCode: 1, standardError: "error: lost connection to pod");
        var policy = new PortForwardRestartPolicy { InitialDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(4), PollInterval = TimeSpan.FromHours(1) };

        var forward = await ResilientPortForward.StartAsync(new KubectlCli(runner), Target, "default", "svc/vault-a", 8200, _logger, Ct, clock, policy);
        await using var _ = forward;

        (await Eventually.TrueAsync(() => clock.RequestedDelays.Contains(TimeSpan.FromSeconds(1)))).Should().BeTrue();
        clock.Advance(TimeSpan.FromMilliseconds(999));
        runner.Invocations.Should().HaveCount(1, "no restart before the backoff elapsed");

        clock.Advance(TimeSpan.FromMilliseconds(1));
        (await Eventually.TrueAsync(() => clock.RequestedDelays.Count == 2)).Should().BeTrue();
        clock.Advance(TimeSpan.FromSeconds(2));
        (await Eventually.TrueAsync(() => clock.RequestedDelays.Count == 3)).Should().BeTrue();
        clock.Advance(TimeSpan.FromSeconds(4));
        (await Eventually.TrueAsync(() => clock.RequestedDelays.Count == 4)).Should().BeTrue();
        clock.Advance(TimeSpan.FromSeconds(4));
        (await Eventually.TrueAsync(() => forward.Restarts == 1)).Should().BeTrue();

        clock.RequestedDelays.Take(4).Should().Equal(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(4));
        runner.Invocations.Skip(1).Should().HaveCount(4).And.OnlyContain(i => i.Arguments.Contains("40001:8200"));
        forward.HttpsUri.Should().Be(new Uri("https://127.0.0.1:40001"));
        forward.IsForwarding.Should().BeTrue();
        _logger.Messages.Count(m => m.Contains("127.0.0.1:40001 is taken by another process", StringComparison.Ordinal) &&
                                    m.Contains("lsof -nP -iTCP:40001 -sTCP:LISTEN", StringComparison.Ordinal)).Should().Be(3);
    }

    [Theory]
    [InlineData(0, 500)]
    [InlineData(1, 1000)]
    [InlineData(3, 4000)]
    [InlineData(5, 10000)]
    [InlineData(40, 10000)]
    public void Backoff_doubles_from_the_initial_delay_up_to_the_cap(int failures, int expectedMilliseconds) =>
        new PortForwardRestartPolicy().DelayBefore(failures).Should().Be(TimeSpan.FromMilliseconds(expectedMilliseconds));

    private async Task<ResilientPortForward> StartAsync()
    {
        var tools = Directory.CreateDirectory(Path.Combine(_dir, "tools")).FullName;
        FakeTool.Write(tools, "kubectl", $$"""
            dir='{{_dir}}'
            echo $$ >> "$dir/pids"
            echo "$*" >> "$dir/args"
            for a; do case $a in *:8200) spec=$a;; esac; done
            port=${spec%:8200}
            [ -z "$port" ] && port=45678
            if [ -f "$dir/hold" ]; then while [ ! -f "$dir/go-$$" ]; do sleep 0.05; done; fi
            echo "Forwarding from 127.0.0.1:$port -> 8200"
            while :; do
              if [ -f "$dir/exit-$$" ]; then echo 'error: lost connection to pod' >&2; exit 1; fi
              if [ -f "$dir/gone-$$" ] && [ -z "$said" ]; then
                echo "E0806 21:35:29.876087 20063 portforward.go:331] an error occurred forwarding $port -> 8200: error forwarding port 8200 to pod 3bdbf28f, uid : Error: No such container: 3bdbf28f" >&2
                said=1
              fi
              sleep 0.05
            done
            """);
        var kubectl = new KubectlCli(new ProcessRunner(resolver: new ExecutableResolver(tools)));
        return await ResilientPortForward.StartAsync(kubectl, Target, "default", "svc/vault-a", 8200, _logger, Ct, policy: FastRestarts);
    }

    /// <summary>What the forward logged and which kubectls started, for failure messages.</summary>
    private string Trace() => $"pids [{string.Join(", ", Pids())}], log:\n{string.Join('\n', _logger.Messages)}";

    private void Touch(string name) => File.WriteAllText(Path.Combine(_dir, name), string.Empty);

    private List<int> Pids()
    {
        var path = Path.Combine(_dir, "pids");
        return File.Exists(path)
            ? [.. File.ReadAllLines(path).Where(l => l.Length > 0).Select(l => int.Parse(l, CultureInfo.InvariantCulture))]
            : [];
    }

    private string[] Args() => File.ReadAllLines(Path.Combine(_dir, "args"));
}
