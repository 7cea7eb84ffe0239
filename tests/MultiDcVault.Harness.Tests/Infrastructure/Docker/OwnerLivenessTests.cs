using FluentAssertions;
using MultiDcVault.Harness.Infrastructure.Docker;
using Xunit;

namespace MultiDcVault.Harness.Tests.Infrastructure.Docker;

/// <summary>The owner rule over a scripted process table: only a gone or reused pid on this host is a dead owner.</summary>
public sealed class OwnerLivenessTests
{
    private const string ThisHost = "ci-runner-1";

    private readonly ScriptedProcesses _processes = new();

    private OwnerLiveness Liveness() => new(_processes, ThisHost);

    private static IReadOnlyDictionary<string, string> Owned(string host, int pid, string started) =>
        HarnessLabels.For("s1", "test", new ResourceOwner(host, pid, started));

    [Fact]
    public void A_pid_no_process_has_is_a_dead_owner()
    {
        Liveness().StateOf(Owned(ThisHost, 4242, "1000")).Should().Be(OwnerState.Dead);
        Liveness().IsProvablyDead(Owned(ThisHost, 4242, "1000")).Should().BeTrue();
    }

    [Fact]
    public void A_pid_reused_by_a_process_that_started_at_another_time_is_a_dead_owner()
    {
        _processes.Started[4242] = "2000";

        Liveness().StateOf(Owned(ThisHost, 4242, "1000")).Should().Be(OwnerState.Dead);
    }

    [Fact]
    public void The_process_with_that_pid_and_start_time_is_a_live_owner()
    {
        _processes.Started[4242] = "1000";

        Liveness().StateOf(Owned(ThisHost, 4242, "1000")).Should().Be(OwnerState.Live);
        Liveness().IsProvablyDead(Owned(ThisHost, 4242, "1000")).Should().BeFalse();
    }

    [Fact]
    public void An_owner_on_another_host_is_never_dead_even_when_its_pid_is_free_here()
    {
        Liveness().StateOf(Owned("laptop-2", 4242, "1000")).Should().Be(OwnerState.OtherHost);
        Liveness().IsProvablyDead(Owned("laptop-2", 4242, "1000")).Should().BeFalse();
        _processes.Asked.Should().BeEmpty("another host's pids say nothing about this host's processes");
    }

    [Theory]
    [InlineData(null, null, null)]
    [InlineData(ThisHost, null, "1000")]
    [InlineData(ThisHost, "4242", null)]
    [InlineData(null, "4242", "1000")]
    [InlineData(ThisHost, "not-a-pid", "1000")]
    [InlineData(ThisHost, "-1", "1000")]
    public void Missing_or_malformed_owner_labels_are_never_dead(string? host, string? pid, string? started)
    {
        var labels = new Dictionary<string, string> { [HarnessLabels.Session] = "s1", [HarnessLabels.Role] = "test" };
        if (host is not null) labels[HarnessLabels.OwnerHost] = host;
        if (pid is not null) labels[HarnessLabels.OwnerPid] = pid;
        if (started is not null) labels[HarnessLabels.OwnerStarted] = started;

        Liveness().StateOf(labels).Should().Be(OwnerState.Unknown);
        Liveness().IsProvablyDead(labels).Should().BeFalse();
        Liveness().IsCrashLeftover(labels).Should().BeFalse();
    }

    [Fact]
    public void A_kept_environment_of_a_dead_owner_is_dead_but_no_crash_leftover()
    {
        var kept = HarnessLabels.For("s1", "shared-network", new ResourceOwner(ThisHost, 4242, "1000"), kept: true);

        Liveness().IsProvablyDead(kept).Should().BeTrue("down --all may remove it once its owner is gone");
        Liveness().IsCrashLeftover(kept).Should().BeFalse("the sweeps of up and test runs leave a kept environment alone");
        Liveness().IsCrashLeftover(Owned(ThisHost, 4242, "1000")).Should().BeTrue();
    }

    [Fact]
    public void This_process_is_a_live_owner_of_what_it_labels()
    {
        var labels = HarnessLabels.For("s1", "test");

        labels[HarnessLabels.OwnerPid].Should().Be(System.Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        labels[HarnessLabels.OwnerHost].Should().Be(System.Environment.MachineName);
        OwnerLiveness.System.StateOf(labels).Should().Be(OwnerState.Live);
    }

    private sealed class ScriptedProcesses : IProcessLookup
    {
        public Dictionary<int, string> Started { get; } = [];

        public List<int> Asked { get; } = [];

        public string? StartStamp(int pid)
        {
            Asked.Add(pid);
            return Started.GetValueOrDefault(pid);
        }
    }
}
