using FluentAssertions;
using MultiDcVault.Harness.Tests.TestSupport;
using MultiDcVault.Harness.Verification;
using Xunit;

namespace MultiDcVault.Harness.Tests.Verification;

public sealed class RunReportTests
{
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static RunReport Sample() => new()
    {
        RunId = "run-42",
        StartedAt = Start,
        FinishedAt = Start.AddMinutes(12),
        Passed = false,
        Summary = "FAILED: 1 acknowledged but lost",
        Phases = [new PhaseTiming("create clusters", TimeSpan.FromSeconds(95.5)), new PhaseTiming("install operator", TimeSpan.FromMilliseconds(4200), Succeeded: false)],
        Faults =
        [
            new FaultReport("partition(primary)", Start.AddMinutes(5), Start.AddMinutes(6), TimeSpan.FromMilliseconds(7345), null),
            new FaultReport("leader-pod-loss(tertiary)", Start.AddMinutes(7), Start.AddMinutes(7.5), TimeSpan.FromSeconds(9), null)
            {
                Mechanism = "kubectl delete pod vault-tertiary-0 (graceful; the StatefulSet controller recreates it)",
                PodGoneFor = TimeSpan.FromSeconds(41.2),
            },
            new FaultReport("outage(secondary)", Start.AddMinutes(8), null, null, "No write was acknowledged by a node other than the old leader"),
        ],
        Writes = new WriteCounts(1234, 1100, 97, 37, 1, 0, 0),
        WriteLatency = new LatencySummary(1100, TimeSpan.FromMilliseconds(12), TimeSpan.FromMilliseconds(87), TimeSpan.FromMilliseconds(9001)),
        AutopilotSnapshots = [new AutopilotSnapshot("before partition", Start.AddMinutes(4), """{"healthy":true,"failure_tolerance":1}""")],
        LeaderChanges =
        [
            new TestLeaderChanges("Replication reaches every DC", false, 0, 31, 0, ["primary (active since 2025-01-01T11:50:00.0000000+00:00)"]),
            new TestLeaderChanges("Latency keeps writes working", false, 1, 40, 2, ["primary (active since A)", "secondary (active since B)"]),
            new TestLeaderChanges("Partitioning the leader", true, 1, 60, 3, ["primary (active since A)", "tertiary (active since C)"]),
        ],
        Timelines = [new TimelinePicture("Partitioning the leader", "timeline-01 partitioning.png", "timeline-01 partitioning.svg")],
    };

    [Fact]
    public async Task Json_written_to_a_directory_reads_back_the_same_report()
    {
        var directory = Path.Combine(Path.GetTempPath(), "multidc-report-" + Guid.NewGuid().ToString("N"));
        try
        {
            var path = await Sample().WriteJsonAsync(directory, TestContext.Current.CancellationToken);

            path.Should().Be(Path.Combine(directory, "report.json"));
            var read = await RunReport.ReadJsonAsync(path, TestContext.Current.CancellationToken);
            read.Should().BeEquivalentTo(Sample());
            var json = await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken);
            json.Should().Contain("\"runId\": \"run-42\"").And.Contain("\"leaderChanges\": [").And.Contain("\"leaderMovesExpected\": false")
                .And.Contain("\"mechanism\": \"kubectl delete pod vault-tertiary-0").And.Contain("\"podGoneFor\": \"00:00:41.2000000\"")
                .And.Contain("\"timelines\": [").And.Contain("\"png\": \"timeline-01 partitioning.png\"");
            read.LeaderChanges.Where(l => l.Unexpected).Select(l => l.Test).Should().Equal("Latency keeps writes working");
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    [Fact]
    public async Task Markdown_shows_phases_rto_write_counts_latencies_and_snapshots()
    {
        var directory = Path.Combine(Path.GetTempPath(), "multidc-report-" + Guid.NewGuid().ToString("N"));
        try
        {
            var path = await Sample().WriteMarkdownAsync(directory, TestContext.Current.CancellationToken);
            var markdown = await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken);

            path.Should().EndWith("report.md");
            markdown.Should().StartWith("# Run run-42: FAILED");
            markdown.Should().Contain("| create clusters | 95.5 s | ok |").And.Contain("| install operator | 4200 ms | failed |");
            markdown.Should().Contain("| partition(primary) |").And.Contain("| 7345 ms |");
            markdown.Should().Contain("| outage(secondary) |").And.Contain("| none |").And.Contain("No write was acknowledged");
            markdown.Should().Contain("| 1234 | 1100 | 97 | 37 | 1 | 0 | 0 |");
            markdown.Should().Contain("| 1100 | 12 ms | 87 ms | 9001 ms |");
            markdown.Should().Contain("### before partition").And.Contain("{\"healthy\":true,\"failure_tolerance\":1}");
            markdown.Should().Contain("| leader-pod-loss(tertiary) | kubectl delete pod vault-tertiary-0 (graceful; the StatefulSet controller recreates it) |")
                .And.Contain("| 9000 ms | 41.2 s |");
            markdown.Should().Contain("## Leader changes per test")
                .And.Contain("| Replication reaches every DC | 0 | no | 31 | 0 |")
                .And.Contain("| Latency keeps writes working | 1 | **NO: unrelated election** | 40 | 2 | primary (active since A) -> secondary (active since B) |")
                .And.Contain("| Partitioning the leader | 1 | yes (failover) |");
            markdown.Should().Contain("## Timelines\n\n### Partitioning the leader\n\n![Timeline of Partitioning the leader](timeline-01%20partitioning.png)\n\n[SVG](timeline-01%20partitioning.svg)\n");
            markdown.IndexOf("## Timelines", StringComparison.Ordinal).Should().BeLessThan(markdown.IndexOf("## Phases", StringComparison.Ordinal), "the picture is what a person looks at first");
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    [Fact]
    public void A_report_written_before_timelines_existed_reads_back_with_none()
    {
        var json = Sample().ToJson();
        var old = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        old.Remove("timelines").Should().BeTrue();

        var read = RunReport.FromJson(old.ToJsonString());

        read.Timelines.Should().BeEmpty();
        read.RunId.Should().Be("run-42");
        read.ToMarkdown().Should().NotContain("## Timelines");
    }

    [Fact]
    public void Latency_percentiles_use_the_nearest_rank_of_acknowledged_writes_only()
    {
        var t = Start;
        var history = Enumerable.Range(1, 100)
            .Select(i => new WriteRecord("a", "k", i, t, t.AddMilliseconds(i), WriteOutcomeKind.Acknowledged, "n", null))
            .Append(new WriteRecord("a", "k", 101, t, t.AddSeconds(30), WriteOutcomeKind.Indeterminate, null, "timeout"));

        var latency = LatencySummary.FromHistory(history);

        latency.Should().Be(new LatencySummary(100, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(95), TimeSpan.FromMilliseconds(100)));
        LatencySummary.FromHistory([]).Should().Be(LatencySummary.Empty);
    }

    [Fact]
    public void Autopilot_snapshots_are_redacted_before_they_reach_a_report()
    {
        var token = TestTokens.Named("autopilot-snapshot");
        var snapshot = AutopilotSnapshot.Create("s", Start, $$"""{"token":"{{token}}"}""");

        snapshot.Json.Should().NotContain(token);
    }
}
