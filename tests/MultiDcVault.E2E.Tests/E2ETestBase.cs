using MultiDcVault.Fixtures;
using MultiDcVault.Harness.Drills;
using MultiDcVault.Harness.Environment;
using MultiDcVault.Harness.Health;
using Xunit;

namespace MultiDcVault.E2E.Tests;

/// <summary>
/// What every E2E test shares: skip (or fail, under MULTIDC_REQUIRE_E2E=1) when the environment is unavailable,
/// wait for a healthy cluster at the start and at the end (tests are independent of order and leave the cluster
/// as they found it), and after a failure write the diagnostics bundle and put its path into the test result.
/// </summary>
public abstract class E2ETestBase(MultiDcEnvironmentFixture fixture) : IAsyncLifetime
{
    /// <summary>Generous: after a fault the old node may need a pod restart and auto-unseal before it is a healthy voter again.</summary>
    protected static readonly TimeSpan HealthyTimeout = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan CleanupTimeout = TimeSpan.FromMinutes(8);

    private VaultNodeProbe? _probe;
    private RaftObserver? _health;
    private LeaderChangeMonitor? _leaderChanges;
    private bool _healthyAtStart;

    protected MultiDcEnvironmentFixture Fixture { get; } = fixture;

    protected EnvironmentHandle Env => Fixture.Handle;

    /// <summary>Root-token, TLS-verified access to every datacenter's Vault node.</summary>
    protected VaultNodeProbe Probe => _probe ?? throw new InvalidOperationException("Call StartAsync() first.");

    protected RaftObserver Health => _health ?? throw new InvalidOperationException("Call StartAsync() first.");

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected static ITestOutputHelper Output =>
        TestContext.Current.TestOutputHelper ?? throw new InvalidOperationException("No test output outside a running test.");

    protected static string TestName => TestContext.Current.Test?.TestDisplayName ?? "unknown test";

    /// <summary>
    /// True for tests that take the leader away on purpose. Every other test must pass whether or not an unrelated
    /// election happens; the run report counts leader changes per test and flags those in tests that expect none.
    /// </summary>
    protected virtual bool MovesLeadership => false;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    /// <summary>
    /// Every test begins here: skip when unavailable, print the setup log once, wait until healthy. After an earlier
    /// test left the cluster unhealthy the wait is short and the failure names that test (see <see cref="SharedClusterHealth"/>).
    /// </summary>
    protected async Task<RaftObservation> StartAsync()
    {
        Fixture.SkipIfUnavailable();
        Output.WriteLine(Fixture.TakeSetupLog());
        _probe = await VaultNodeProbe.CreateAsync(Env, TimeSpan.FromSeconds(5), Ct);
        _health = new RaftObserver(_probe, Env.TimeProvider, TimeSpan.FromSeconds(2));
        var wait = Fixture.ClusterHealth.NextWait;
        RaftObservation reading;
        try
        {
            reading = await _health.WaitForHealthyAsync(wait, Ct);
        }
        catch (TimeoutException ex)
        {
            throw new InvalidOperationException(Fixture.ClusterHealth.DescribeStartFailure(wait, ex.Message), ex);
        }

        _healthyAtStart = true;
        Fixture.ClusterHealth.ReportHealthy();
        Output.WriteLine($"Healthy at start: {reading}");
        _leaderChanges = await LeaderChangeMonitor.StartAsync(new RaftObserver(_probe, Env.TimeProvider), Ct, Env.TimeProvider);
        return reading;
    }

    /// <summary>A progress sink that writes drill steps to the test output.</summary>
    protected static IProgress<string> OutputProgress { get; } = new OutputLines();

    public async ValueTask DisposeAsync()
    {
        if (_probe is null || _health is null)
        {
            return; // skipped, or failed before the environment was touched
        }

        // Not the test's token: a cancelled or timed-out test must still leave diagnostics and a healthy cluster.
        using var cleanup = new CancellationTokenSource(CleanupTimeout);
        var state = TestContext.Current.TestState;
        var failure = state?.Result == TestResult.Failed ? state.ExceptionMessages?.FirstOrDefault() ?? "failed" : null;
        Exception? unhealthyAtEnd = null;
        if (_healthyAtStart)
        {
            try
            {
                var end = await _health.WaitForHealthyAsync(Fixture.ClusterHealth.FullWait, cleanup.Token);
                Output.WriteLine($"Healthy at end: {end}");
            }
            catch (TimeoutException ex)
            {
                unhealthyAtEnd = ex;
                failure ??= "the cluster was not healthy again after the test: " + ex.Message;
                Fixture.ClusterHealth.ReportUnhealthy(TestName, Truncate(ex.Message));
            }
        }
        else
        {
            // Never healthy at the start (already reported): another full wait would only stall the run.
            Fixture.ClusterHealth.ReportUnhealthy(TestName, "not healthy at its start");
        }

        if (_leaderChanges is not null)
        {
            // After the end-of-test health wait: a failover test's leader has settled, and the last sample is the leader at the end.
            var changes = await _leaderChanges.StopAsync(cleanup.Token);
            await _leaderChanges.DisposeAsync();
            Output.WriteLine($"Leader changes during the test: {changes.Changes} ({string.Join(" -> ", changes.Leaders)}; {changes.Samples} samples, {changes.SamplesWithoutLeader} without a confirmed leader)");
            Fixture.Recorder.LeaderChanges(TestName, MovesLeadership, changes);
        }

        try
        {
            if (failure is not null)
            {
                var bundle = await Fixture.WriteDiagnosticsAsync($"{TestName}: {failure}", cleanup.Token);
                Output.WriteLine($"Diagnostics bundle: {bundle}");
                TestContext.Current.AddAttachment("diagnostics-bundle", bundle, replaceExistingValue: true);
            }

            Fixture.Recorder.TestOutcome(TestName, failure is null ? "passed" : "FAILED", failure);
            if (await Fixture.WriteReportAsync(cleanup.Token) is { } report)
            {
                Output.WriteLine($"Run report: {report}");
                TestContext.Current.AddAttachment("run-report", report, replaceExistingValue: true);
            }
        }
        finally
        {
            _probe.Dispose();
        }

        if (unhealthyAtEnd is not null)
        {
            throw new InvalidOperationException("The test left the cluster unhealthy; later tests would fail for the wrong reason.", unhealthyAtEnd);
        }

        GC.SuppressFinalize(this);
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "...";

    private sealed class OutputLines : IProgress<string>
    {
        public void Report(string value) => TestContext.Current.TestOutputHelper?.WriteLine($"[{DateTimeOffset.UtcNow:HH:mm:ss}] {value}");
    }
}
