using FluentAssertions;
using MultiDcVault.Cli;
using MultiDcVault.Harness.Scenarios;
using MultiDcVault.Harness.Tests.TestSupport;
using MultiDcVault.Harness.Timeline;
using MultiDcVault.Harness.Verification;
using Xunit;

namespace MultiDcVault.Harness.Tests.Cli;

/// <summary>scenario list/run: the catalogue is listed, bad input exits 2 before anything is touched, a run reports and exits by its verdict.</summary>
public sealed class ScenarioCommandTests : IDisposable
{
    private readonly CliRunner _cli = new();
    private readonly List<ScenarioRequest> _runs = [];
    private int _environmentsCreated;

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task List_names_every_scenario_with_its_one_line_summary_and_variants()
    {
        var result = await _cli.RunAsync(Services([]), "scenario", "list");

        result.ExitCode.Should().Be(0, result.AllOutput);
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(ScenarioCatalogue.All.Count);
        foreach (var (scenario, line) in ScenarioCatalogue.All.Zip(lines))
        {
            line.Should().StartWith(scenario.Name + " ").And.Contain(scenario.Summary);
            if (scenario.Variants.Count > 0)
            {
                line.Should().Contain($"[variants: {string.Join(", ", scenario.Variants)}]");
            }
        }

        _environmentsCreated.Should().Be(0);
    }

    [Fact]
    public async Task The_four_scenarios_of_the_issue_are_listed()
    {
        var result = await _cli.RunAsync(Services([]), "scenario", "list");

        result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0])
            .Should().Equal("quorum-loss", "power-cycle", "rolling-upgrade", "soak");
    }

    [Fact]
    public async Task A_rolling_upgrade_takes_its_target_from_the_option_else_the_variable_else_leaves_it_to_the_scenario()
    {
        var outcome = Services([Result("rolling-upgrade", "", [])]);

        (await _cli.RunAsync(outcome, "scenario", "run", "rolling-upgrade")).ExitCode.Should().Be(0);
        _cli.Variables["MULTIDC_UPGRADE_TO_VAULT_IMAGE"] = "hashicorp/vault:2.1.1";
        (await _cli.RunAsync(outcome, "scenario", "run", "rolling-upgrade")).ExitCode.Should().Be(0);
        (await _cli.RunAsync(outcome, "scenario", "run", "rolling-upgrade", "--to-vault-image", "hashicorp/vault:2.1.2")).ExitCode.Should().Be(0);

        _runs.Select(r => r.ToVaultImage).Should().Equal(null, "hashicorp/vault:2.1.1", "hashicorp/vault:2.1.2");
    }

    [Theory]
    [InlineData("unknown scenario 'reboot'", "scenario", "run", "reboot")]
    [InlineData("--seed applies to soak only", "scenario", "run", "quorum-loss", "--seed", "4")]
    [InlineData("--minutes applies to soak only", "scenario", "run", "quorum-loss", "--minutes", "3")]
    [InlineData("--minutes must be between 1 and 1440 (got 0.5)", "scenario", "run", "soak", "--minutes", "0.5")]
    [InlineData("--minutes must be a number of minutes (got 'ten')", "scenario", "run", "soak", "--minutes", "ten")]
    [InlineData("--seed must be a whole number of at least 0 (got '-3')", "scenario", "run", "soak", "--seed", "-3")]
    [InlineData("unknown variant 'crash' of quorum-loss: use one of pause, partition", "scenario", "run", "quorum-loss", "--variant", "crash")]
    [InlineData("soak has no variants", "scenario", "run", "soak", "--variant", "pause")]
    [InlineData("--no-heal applies to quorum-loss only", "scenario", "run", "soak", "--no-heal")]
    [InlineData("--no-heal needs one --variant", "scenario", "run", "quorum-loss", "--no-heal")]
    [InlineData("--to-vault-image applies to rolling-upgrade only", "scenario", "run", "soak", "--to-vault-image", "hashicorp/vault:2.1.2")]
    public async Task Bad_input_exits_2_in_one_line_before_any_environment_is_touched(string message, params string[] arguments)
    {
        var result = await _cli.RunAsync(Services([]), arguments);

        result.ExitCode.Should().Be(2, result.AllOutput);
        result.StandardError.Trim().Split('\n').Should().ContainSingle().Which.Should().StartWith("multidc scenario run: ").And.Contain(message);
        _environmentsCreated.Should().Be(0);
        _runs.Should().BeEmpty();
    }

    [Fact]
    public async Task A_run_passes_the_request_on_prints_each_verdict_writes_each_report_and_exits_0_when_all_passed()
    {
        var result = await _cli.RunAsync(Services([Result("soak", "", [])]), "scenario", "run", "soak", "--seed", "42", "--minutes", "2.5");

        result.ExitCode.Should().Be(0, result.AllOutput);
        _runs.Should().ContainSingle().Which.Should().Be(new ScenarioRequest("soak", null, 42, TimeSpan.FromMinutes(2.5), null, true));
        result.StandardOutput.Should().Contain("PASSED scenario soak");
        result.StandardError.Should().Contain("[+00:00] step: running soak", "progress lines carry the time since the run started");
        var report = result.StandardOutput.Split('\n').Single(l => l.StartsWith("Report: ", StringComparison.Ordinal))["Report: ".Length..].Trim();
        report.Should().StartWith(Path.Combine(_cli.WorkDirectory, "reports", "scenario-soak-"));
        File.Exists(Path.Combine(report, RunReport.JsonFileName)).Should().BeTrue();
        var markdown = await File.ReadAllTextAsync(Path.Combine(report, RunReport.MarkdownFileName), TestContext.Current.CancellationToken);
        markdown.Should().Contain("PASSED scenario soak").And.Contain("![Timeline of scenario soak](timeline-01-scenario-soak.png)");
        File.Exists(Path.Combine(report, "timeline-01-scenario-soak.png")).Should().BeTrue();
        File.Exists(Path.Combine(report, "timeline-01-scenario-soak.svg")).Should().BeTrue();
    }

    [Fact]
    public async Task A_run_with_one_failed_variant_exits_1_and_still_reports_both()
    {
        var result = await _cli.RunAsync(
            Services([Result("quorum-loss", "pause", []), Result("quorum-loss", "partition", ["2 writes were acknowledged while quorum was lost"])]),
            "scenario", "run", "quorum-loss");

        result.ExitCode.Should().Be(1, result.AllOutput);
        _runs.Single().Variant.Should().BeNull("no --variant runs every variant");
        result.StandardOutput.Should().Contain("PASSED scenario quorum-loss (pause)").And.Contain("FAILED scenario quorum-loss (partition)")
            .And.Contain("Problem: 2 writes were acknowledged while quorum was lost");
        result.StandardOutput.Split('\n').Count(l => l.StartsWith("Report: ", StringComparison.Ordinal)).Should().Be(2);
    }

    [Fact]
    public async Task No_heal_says_how_to_undo_it()
    {
        var result = await _cli.RunAsync(Services([Result("quorum-loss", "pause", [])]), "scenario", "run", "quorum-loss", "--variant", "pause", "--no-heal");

        result.ExitCode.Should().Be(0, result.AllOutput);
        _runs.Single().Heal.Should().BeFalse();
        result.StandardOutput.Should().Contain("run 'multidc heal' to undo them");
    }

    private CliServices Services(IReadOnlyList<ScenarioResult> outcome) => new()
    {
        CreateEnvironment = (options, _) =>
        {
            _environmentsCreated++;
            return new FakeMultiDcEnvironment(options)
            {
                Handle = CliFakes.Handle(options, _cli.WorkDirectory, new SimulatedNodeContainers(), new SimulatedVaultPods()),
                Running = true,
            };
        },
        RunScenario = (_, request, progress, _) =>
        {
            _runs.Add(request);
            progress?.Report($"step: running {request.Name}");
            return Task.FromResult(outcome);
        },
    };

    private static ScenarioResult Result(string scenario, string variant, IReadOnlyList<string> problems)
    {
        var at = new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);
        var timeline = new RunTimeline(
            ["primary", "secondary"], at, at.AddMinutes(3),
            [new RoleSample(at, "primary", NodeRole.Leader), new RoleSample(at, "secondary", NodeRole.Follower)],
            [new FaultWindow("outage(secondary)", ["secondary"], at.AddSeconds(30), at.AddSeconds(60))],
            []);
        return new ScenarioResult(scenario, variant, at, at.AddMinutes(3), problems, ["time without a leader: 4.0 s in 1 stretches"], [],
            new WorkloadResult([], [], []), new Dictionary<string, HistoryCheckResult>(), [], timeline);
    }
}
