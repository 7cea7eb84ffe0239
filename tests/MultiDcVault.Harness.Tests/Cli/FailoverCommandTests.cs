using FluentAssertions;
using MultiDcVault.Cli;
using MultiDcVault.Harness.Drills;
using MultiDcVault.Harness.Tests.TestSupport;
using MultiDcVault.Harness.Tests.Timeline;
using MultiDcVault.Harness.Verification;
using Xunit;

namespace MultiDcVault.Harness.Tests.Cli;

/// <summary>failover: the mode and heal choice reach the drill; the RTO is printed; a failed drill exits 1.</summary>
public sealed class FailoverCommandTests : IDisposable
{
    private readonly CliRunner _cli = new();
    private readonly List<FailoverDrillOptions> _drills = [];

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Failover_runs_the_drill_in_the_chosen_mode_and_prints_the_rto()
    {
        var result = await _cli.RunAsync(Services(Result(FailoverMode.Partition, TimeSpan.FromSeconds(7.4), [])), "failover", "--mode", "partition");

        result.ExitCode.Should().Be(0, result.AllOutput);
        _drills.Single().Mode.Should().Be(FailoverMode.Partition);
        _drills.Single().Heal.Should().BeTrue();
        result.StandardOutput.Should().Contain("RTO: 7.4s (primary -> secondary)").And.Contain("PASSED");
        result.StandardError.Should().Contain("step: injected partition(primary)");
    }

    [Fact]
    public async Task Failover_writes_the_report_and_the_timeline_picture_into_the_work_directorys_reports_and_prints_where()
    {
        var outcome = Result(FailoverMode.Partition, TimeSpan.FromSeconds(7.4), []) with { Timeline = RecordedHistory.Partition() };

        var result = await _cli.RunAsync(Services(outcome), "failover", "--mode", "partition");

        result.ExitCode.Should().Be(0, result.AllOutput);
        var directory = Directory.GetDirectories(Path.Combine(_cli.WorkDirectory, "reports")).Should().ContainSingle().Subject;
        Path.GetFileName(directory).Should().StartWith("failover-");
        result.StandardOutput.Should().Contain($"Report: {directory}");
        var report = await RunReport.ReadJsonAsync(Path.Combine(directory, RunReport.JsonFileName), TestContext.Current.CancellationToken);
        report.Faults.Select(f => f.Fault).Should().Equal("partition(primary)");
        var picture = report.Timelines.Should().ContainSingle().Subject;
        picture.Label.Should().Be("failover: partition(primary)");
        File.Exists(Path.Combine(directory, picture.Png)).Should().BeTrue();
        File.Exists(Path.Combine(directory, picture.Svg)).Should().BeTrue();
        (await File.ReadAllTextAsync(Path.Combine(directory, RunReport.MarkdownFileName), TestContext.Current.CancellationToken))
            .Should().Contain($"]({picture.Png})");
    }

    [Fact]
    public async Task No_heal_leaves_the_fault_and_says_how_to_undo_it()
    {
        var result = await _cli.RunAsync(Services(Result(FailoverMode.PodLoss, TimeSpan.FromSeconds(12), [])), "failover", "--no-heal");

        result.ExitCode.Should().Be(0, result.AllOutput);
        _drills.Single().Should().Match<FailoverDrillOptions>(o => o.Mode == FailoverMode.PodLoss && !o.Heal);
        result.StandardOutput.Should().Contain("multidc heal");
    }

    [Fact]
    public async Task A_drill_with_problems_exits_1_and_prints_them()
    {
        var failed = Result(FailoverMode.Pause, null, ["no datacenter other than primary became leader within 2m"]);

        var result = await _cli.RunAsync(Services(failed), "failover", "--mode", "pause");

        result.ExitCode.Should().Be(1);
        result.StandardOutput.Should().Contain("FAILED").And.Contain("no datacenter other than primary became leader").And.Contain("RTO: no new leader");
    }

    [Fact]
    public async Task An_unknown_mode_exits_2_without_a_drill()
    {
        var result = await _cli.RunAsync(Services(Result(FailoverMode.PodLoss, null, [])), "failover", "--mode", "reboot");

        result.ExitCode.Should().Be(2);
        _drills.Should().BeEmpty();
    }

    private CliServices Services(FailoverDrillResult outcome) => new()
    {
        CreateEnvironment = (options, _) => new FakeMultiDcEnvironment(options)
        {
            Handle = CliFakes.Handle(options, _cli.WorkDirectory, new SimulatedNodeContainers(), new SimulatedVaultPods()),
            Running = true,
        },
        RunFailoverDrill = (_, options, progress, _) =>
        {
            _drills.Add(options);
            progress?.Report($"step: injected {outcome.Fault}");
            return Task.FromResult(outcome);
        },
    };

    private static FailoverDrillResult Result(FailoverMode mode, TimeSpan? rto, IReadOnlyList<string> problems)
    {
        var at = new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);
        var fault = mode switch { FailoverMode.Partition => "partition(primary)", FailoverMode.Pause => "outage(primary)", _ => "leader-pod-loss(primary)" };
        return new FailoverDrillResult(
            mode, fault, "primary", rto is null ? null : "secondary", at, at.AddSeconds(30),
            new RtoResult(at, "primary", rto, null, rto is null ? "no write acknowledged by another datacenter" : null),
            Recovered: true, OldLeaderRejoinedAsFollower: true, [], [], new Dictionary<string, HistoryCheckResult>(), [], problems);
    }
}
