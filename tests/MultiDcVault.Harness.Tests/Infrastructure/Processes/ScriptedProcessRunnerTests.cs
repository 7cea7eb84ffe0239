using FluentAssertions;
using MultiDcVault.Harness.Infrastructure.Kubernetes;
using MultiDcVault.Harness.Infrastructure.Processes;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Infrastructure.Processes;

/// <summary>The scripted runner other areas' tests rely on must behave like the real one where it matters.</summary>
public sealed class ScriptedProcessRunnerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Latest_matching_rule_wins_and_limited_rules_fall_back()
    {
        var runner = new ScriptedProcessRunner();
        runner.On("kind").Returns("default");
        runner.On("kind", "get", "clusters").Returns("first").Once();

        (await runner.RunAsync(new ProcessSpec("/usr/local/bin/kind", ["get", "clusters"]), Ct)).StandardOutput.Should().Be("first");
        (await runner.RunAsync(new ProcessSpec("kind", ["get", "clusters"]), Ct)).StandardOutput.Should().Be("default");
    }

    [Fact]
    public async Task Unmatched_call_names_the_command()
    {
        var runner = new ScriptedProcessRunner();

        var act = () => runner.RunAsync(new ProcessSpec("helm", ["list"]), Ct);

        await act.Should().ThrowAsync<InvalidOperationException>().WithMessage("*helm list*");
    }

    [Fact]
    public async Task Non_zero_exit_throws_unless_the_spec_says_otherwise()
    {
        var runner = new ScriptedProcessRunner();
        runner.On("kubectl").Fails(1, "boom");

        await runner.Invoking(r => r.RunAsync(new ProcessSpec("kubectl", ["get"]), Ct)).Should().ThrowAsync<ProcessFailedException>();
        (await runner.RunAsync(new ProcessSpec("kubectl", ["get"]) { ThrowOnNonZeroExit = false }, Ct)).ExitCode.Should().Be(1);
        runner.Invocations.Should().HaveCount(2).And.OnlyContain(i => i.IsComplete);
    }

    [Fact]
    public async Task Latency_beyond_the_timeout_is_a_timeout()
    {
        var runner = new ScriptedProcessRunner();
        runner.On("kind").Returns().WithLatency(TimeSpan.FromMinutes(10));

        var act = () => runner.RunAsync(new ProcessSpec("kind", ["create"]) { Timeout = TimeSpan.FromMilliseconds(20) }, Ct);

        await act.Should().ThrowAsync<ProcessTimeoutException>();
    }

    [Fact]
    public async Task Concurrent_calls_are_recorded_as_overlapping_and_sequential_ones_are_not()
    {
        var runner = new ScriptedProcessRunner();
        runner.On("kind").Returns().WithLatency(TimeSpan.FromMilliseconds(100));

        await Task.WhenAll(
            runner.RunAsync(new ProcessSpec("kind", ["create", "a"]), Ct),
            runner.RunAsync(new ProcessSpec("kind", ["create", "b"]), Ct));
        await runner.RunAsync(new ProcessSpec("kind", ["create", "c"]), Ct);

        var calls = runner.Invocations;
        calls[0].Overlaps(calls[1]).Should().BeTrue();
        calls[1].Overlaps(calls[2]).Should().BeFalse();
        runner.PeakConcurrency.Should().Be(2);
        calls[2].ValueOf("create").Should().Be("c");
    }

    [Fact]
    public async Task Scripted_port_forward_reports_its_port_and_ends_on_dispose()
    {
        var runner = new ScriptedProcessRunner();
        runner.On("kubectl", "--kubeconfig", "/kc", "--context", "kind-a", "port-forward").Returns("Forwarding from 127.0.0.1:40001 -> 8200\n");
        var kubectl = new KubectlCli(runner);

        var session = await kubectl.PortForwardAsync(new("/kc", "kind-a"), "default", "service/vault-a", 8200, Ct);
        session.LocalPort.Should().Be(40001);
        runner.Invocations.Single().IsComplete.Should().BeFalse("the forward runs until disposed");
        await session.DisposeAsync();

        runner.Invocations.Single().IsComplete.Should().BeTrue();
    }
}
