using FluentAssertions;
using MultiDcVault.Fixtures;
using MultiDcVault.Harness.Configuration;
using MultiDcVault.Harness.Drills;
using MultiDcVault.Harness.Environment.Steps;
using MultiDcVault.Harness.Preflight;
using MultiDcVault.Harness.Tests.Timeline;
using MultiDcVault.Harness.Timeline;
using MultiDcVault.Harness.Verification;
using Xunit.v3;
using Xunit;

namespace MultiDcVault.Harness.Tests.Fixtures;

public sealed class MultiDcEnvironmentFixtureTests
{
    private static readonly PreflightReport MissingKindAndHelm = new(
    [
        PreflightCheck.Ok("docker", "ok."),
        PreflightCheck.Fail("kind", "not found on PATH.", "Install kind."),
        PreflightCheck.Ok("kubectl", "v1.35.0 at /usr/bin/kubectl."),
        PreflightCheck.Fail("helm", "not found on PATH.", "Install helm."),
        PreflightCheck.Warn("inotify", "max_user_watches is 8192 (need >= 524288).", "sysctl."),
    ]);

    [Fact]
    public async Task Missing_tools_make_every_test_skip_with_a_reason_naming_them()
    {
        var fixture = Fixture(new Dictionary<string, string?>(), MissingKindAndHelm);

        await fixture.InitializeAsync();

        fixture.UnavailableReason.Should().StartWith("E2E environment unavailable: kind, helm missing or not working.")
            .And.Contain("[FAIL] kind: not found on PATH. Fix: Install kind.")
            .And.Contain("[FAIL] helm: not found on PATH.")
            .And.NotContain("inotify", "warnings do not block the environment");
        var skip = fixture.Invoking(f => f.SkipIfUnavailable()).Should().Throw<Exception>().Which;
        skip.Message.Should().Be(DynamicSkipToken.Value + fixture.UnavailableReason, "Assert.SkipWhen's exception is what xUnit reports as skipped");
        fixture.SetupLog.Should().Contain(l => l.Contains("[WARN] inotify", StringComparison.Ordinal));
        await fixture.DisposeAsync();
    }

    [Fact]
    public async Task Under_MULTIDC_REQUIRE_E2E_the_fixture_fails_with_the_same_reason()
    {
        var fixture = Fixture(new Dictionary<string, string?> { ["MULTIDC_REQUIRE_E2E"] = "1" }, MissingKindAndHelm);

        var act = async () => await fixture.InitializeAsync();

        var error = (await act.Should().ThrowAsync<E2EEnvironmentUnavailableException>()).Which;
        error.Message.Should().StartWith("E2E environment unavailable: kind, helm").And.Contain("MULTIDC_REQUIRE_E2E=1 is set");
        error.Message.Should().NotStartWith(DynamicSkipToken.Value, "it must fail, not skip");
    }

    [Fact]
    public async Task The_session_defaults_to_multidc_e2e_unless_MULTIDC_SESSION_is_set()
    {
        var byDefault = Fixture(new Dictionary<string, string?>(), MissingKindAndHelm);
        var chosen = Fixture(new Dictionary<string, string?> { ["MULTIDC_SESSION"] = "mine" }, MissingKindAndHelm);

        await byDefault.InitializeAsync();
        await chosen.InitializeAsync();

        byDefault.Options!.Session.Should().Be(MultiDcEnvironmentFixture.DefaultSession);
        chosen.Options!.Session.Should().Be("mine");
        (await byDefault.WriteReportAsync(CancellationToken.None)).Should().BeNull("no environment, no report");
    }

    [Fact]
    public async Task By_default_the_E2E_environment_uses_names_and_a_network_that_cannot_collide_with_multidc_up()
    {
        var fixture = Fixture(new Dictionary<string, string?>(), MissingKindAndHelm);
        var cliDefaults = new MultiDcOptions();

        await fixture.InitializeAsync();

        fixture.Options!.NetworkName.Should().Be(MultiDcEnvironmentFixture.DefaultNetwork).And.NotBe(cliDefaults.NetworkName);
        fixture.Options.ClusterNames.Should().Equal("e2e-primary", "e2e-secondary", "e2e-tertiary");
        fixture.Options.ClusterNames.Should().NotIntersectWith(cliDefaults.ClusterNames);
        fixture.Options.WorkDirectory.Should().NotBe(cliDefaults.WorkDirectory);
    }

    [Fact]
    public async Task The_users_own_network_and_cluster_settings_win_over_the_E2E_defaults()
    {
        var names = Fixture(new Dictionary<string, string?> { ["MULTIDC_NETWORK"] = "mine", ["MULTIDC_CLUSTER_NAMES"] = "a,b,c" }, MissingKindAndHelm);
        var count = Fixture(new Dictionary<string, string?> { ["MULTIDC_CLUSTERS"] = "5" }, MissingKindAndHelm);

        await names.InitializeAsync();
        await count.InitializeAsync();

        names.Options!.NetworkName.Should().Be("mine");
        names.Options.ClusterNames.Should().Equal("a", "b", "c");
        count.Options!.ClusterNames.Should().HaveCount(5, "a cluster count alone must not be overridden by the three default names");
    }

    [Fact]
    public async Task Invalid_options_fail_instead_of_skipping()
    {
        var fixture = Fixture(new Dictionary<string, string?> { ["MULTIDC_CLUSTERS"] = "2" }, MissingKindAndHelm);

        var act = async () => await fixture.InitializeAsync();

        await act.Should().ThrowAsync<OptionsValidationException>();
    }

    [Fact]
    public void The_run_report_counts_writes_of_every_drill_and_fails_when_one_drill_failed()
    {
        var t0 = new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);
        var recorder = new RunRecorder("e2e-test", t0);
        recorder.Phase(new PhaseEvent("kind create", "primary", PhaseState.Started, t0));
        recorder.Phase(new PhaseEvent("kind create", "primary", PhaseState.Succeeded, t0.AddSeconds(40), TimeSpan.FromSeconds(40)));
        recorder.Drill("pause", Drill(t0, lost: false));
        recorder.Drill("scale", Drill(t0, lost: true));
        recorder.TestOutcome("pause", "passed", null);

        var report = recorder.ToReport(t0.AddMinutes(5), setupProblem: null);

        report.Phases.Should().Equal(new PhaseTiming("kind create [primary]", TimeSpan.FromSeconds(40)));
        report.Faults.Select(f => f.Fault).Should().Equal("pause: outage(primary)", "scale: outage(primary)");
        report.Writes.Attempts.Should().Be(4);
        report.Writes.Acknowledged.Should().Be(4);
        report.Writes.Lost.Should().Be(1);
        report.Passed.Should().BeFalse();
        report.Summary.Should().Contain("passed: pause").And.Contain("problem: scale:");
    }

    [Fact]
    public async Task The_report_directory_holds_each_drills_timeline_picture_and_the_report_embeds_them()
    {
        var t0 = new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);
        var recorder = new RunRecorder("e2e-test", t0);
        recorder.Drill("pause the leader", Drill(t0, lost: false) with { Timeline = RecordedHistory.Partition() });
        recorder.Drill("no timeline", Drill(t0, lost: false));
        recorder.Drill("pause the leader", Drill(t0, lost: false) with { Timeline = RecordedHistory.Partition() });
        var directory = Directory.CreateTempSubdirectory("multidc-report-").FullName;
        try
        {
            recorder.Timelines().Select(t => t.Label).Should().Equal("pause the leader: outage(primary)", "pause the leader: outage(primary)");

            var markdownPath = await RunReportWriter.WriteAsync(recorder.ToReport(t0.AddMinutes(5), null), recorder.Timelines(), directory, TestContext.Current.CancellationToken);

            var report = await RunReport.ReadJsonAsync(Path.Combine(directory, RunReport.JsonFileName), TestContext.Current.CancellationToken);
            report.Timelines.Select(p => p.Png).Should().Equal(
                "timeline-01-pause-the-leader-outage-primary.png", "timeline-02-pause-the-leader-outage-primary.png");
            report.Timelines.Should().OnlyContain(p => File.Exists(Path.Combine(directory, p.Png)) && File.Exists(Path.Combine(directory, p.Svg)));
            var markdown = await File.ReadAllTextAsync(markdownPath, TestContext.Current.CancellationToken);
            markdown.Should().Contain("](timeline-01-pause-the-leader-outage-primary.png)").And.Contain("](timeline-02-pause-the-leader-outage-primary.svg)");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void The_run_report_lists_leader_changes_per_test_and_which_tests_expected_them()
    {
        var t0 = new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);
        var recorder = new RunRecorder("e2e-test", t0);

        recorder.LeaderChanges("replication", movesLeadership: false, new LeaderChangeCount(0, 12, 0, ["primary (active since x)"]));
        recorder.LeaderChanges("failover: pause", movesLeadership: true, new LeaderChangeCount(1, 40, 4, ["primary (active since x)", "secondary (active since y)"]));

        var report = recorder.ToReport(t0.AddMinutes(5), setupProblem: null);

        report.LeaderChanges.Should().Equal(
            new TestLeaderChanges("replication", false, 0, 12, 0, report.LeaderChanges[0].Leaders),
            new TestLeaderChanges("failover: pause", true, 1, 40, 4, report.LeaderChanges[1].Leaders));
        report.LeaderChanges[1].Leaders.Should().Equal("primary (active since x)", "secondary (active since y)");
        report.LeaderChanges.Should().NotContain(l => l.Unexpected);
    }

    private static FailoverDrillResult Drill(DateTimeOffset t0, bool lost)
    {
        WriteRecord[] history =
        [
            new("w1", "k1", 1, t0, t0.AddMilliseconds(10), WriteOutcomeKind.Acknowledged, "primary", null),
            new("w1", "k1", 2, t0.AddSeconds(20), t0.AddSeconds(20.01), WriteOutcomeKind.Acknowledged, "secondary", null),
        ];
        var check = HistoryChecker.Check(history, new Dictionary<string, long?> { ["k1"] = lost ? 1 : 2 });
        var rto = RtoMeasurement.Measure(history, t0.AddSeconds(10), "primary");
        return new FailoverDrillResult(
            FailoverMode.Pause, "outage(primary)", "primary", "secondary", t0.AddSeconds(10), t0.AddSeconds(30), rto, true, true,
            [], history, new Dictionary<string, HistoryCheckResult> { ["secondary"] = check }, [],
            lost ? ["Read back through secondary: " + check.Summary] : []);
    }

    private static MultiDcEnvironmentFixture Fixture(Dictionary<string, string?> variables, PreflightReport preflight)
    {
        variables.TryAdd("MULTIDC_WORK_DIR", Path.Combine(Path.GetTempPath(), "multidc-fixture-tests"));
        return new MultiDcEnvironmentFixture(name => variables.GetValueOrDefault(name), (_, _) => Task.FromResult(preflight));
    }
}
