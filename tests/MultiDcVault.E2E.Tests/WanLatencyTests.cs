using FluentAssertions;
using MultiDcVault.Fixtures;
using MultiDcVault.Harness.Drills;
using MultiDcVault.Harness.Faults;
using MultiDcVault.Harness.Health;
using MultiDcVault.Harness.Verification;
using Xunit;

namespace MultiDcVault.E2E.Tests;

[Trait("Category", "E2E")]
public sealed class WanLatencyTests(MultiDcEnvironmentFixture fixture) : E2ETestBase(fixture)
{
    private static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan Jitter = TimeSpan.FromMilliseconds(10);

    [Fact]
    public async Task With_50_ms_wan_latency_and_jitter_the_cluster_stays_healthy_and_accepts_writes()
    {
        await StartAsync();
        var leader = (await new RaftObserver(Probe, Env.TimeProvider).WaitForLeaderAsync(HealthyTimeout, Ct)).Datacenter;
        var fault = new LatencyFault(Env.NodeContainers, Env.FaultTopology, Delay, Jitter);

        await using var scope = await FaultScope.InjectAsync(fault, Ct, Env.TimeProvider);
        Output.WriteLine($"Injected {fault.Description}.");

        // Raft heartbeats and autopilot must cope with WAN latency: healthy, no leader change needed.
        var underLatency = await Health.WaitForHealthyAsync(HealthyTimeout, Ct);
        Output.WriteLine($"Under latency: {underLatency}");
        Fixture.Recorder.Autopilot(underLatency.ToAutopilotSnapshot($"{TestName}: under latency"));

        var history = new WriteHistory();
        var router = new DrillWriteRouter(Probe, new RaftObserver(Probe, Env.TimeProvider), [.. Env.Datacenters.Select(d => d.Name)], leader);
        var options = new SequentialWriterOptions
        {
            KeyPrefix = $"latency/{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}",
            MaxAcknowledgedWrites = 30,
            MaxDuration = TimeSpan.FromMinutes(2),
            WriteTimeout = TimeSpan.FromSeconds(10),
        };
        WriteRouting[] routings = [WriteRouting.Leader, WriteRouting.AnyDatacenter];
        var summaries = await Task.WhenAll(routings.Select((routing, i) =>
            new SequentialWriter($"w{i + 1}-{routing.ToString().ToLowerInvariant()}", router.CreateWriter(routing, i), history, options, Env.TimeProvider).RunAsync(Ct)));

        var records = history.Snapshot();
        var latency = LatencySummary.FromHistory(records);
        Output.WriteLine($"Write latency under {fault.Description}: {latency.Count} acknowledged, p50 {RunReport.Format(latency.P50)}, p95 {RunReport.Format(latency.P95)}, max {RunReport.Format(latency.Max)}");
        foreach (var summary in summaries)
        {
            Output.WriteLine($"writer {summary.WriterId}: {summary.Acknowledged} acknowledged, {summary.Indeterminate} indeterminate, {summary.Failed} failed");
            summary.Acknowledged.Should().Be(30, "writes succeed under WAN latency");
        }

        // A commit crosses at least one delayed link (leader -> follower), so the delay must show in the latency.
        latency.P50.Should().BeGreaterThanOrEqualTo(Delay, "the netem delay was really applied");

        foreach (var dc in Env.Datacenters)
        {
            var state = await HistoryChecker.ReadFinalStateAsync(records, (key, ct) => Probe.ReadCounterAsync(dc.Name, key, ct), Ct);
            var check = HistoryChecker.Check(records, state);
            Output.WriteLine($"Read back through {dc.Name}: {check.Summary}");
            check.Passed.Should().BeTrue(check.Summary);
            if (dc == Env.Datacenters[0])
            {
                Fixture.Recorder.Writes(records, check);
            }
        }

        await scope.HealAsync(Ct);
        Fixture.Recorder.Fault(new FaultReport($"{TestName}: {fault.Description}", scope.InjectStartedAt, scope.HealedAt, Rto: null, RtoFailure: null));
    }
}
