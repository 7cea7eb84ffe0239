using FluentAssertions;
using MultiDcVault.Harness.Tests.TestSupport;
using MultiDcVault.Harness.Verification;
using Xunit;

namespace MultiDcVault.Harness.Tests.Verification;

public sealed class RtoMeasurementTests
{
    /// <summary>A fake cluster: the old leader serves until the fault, nothing answers for 7 s, then the new leader does.</summary>
    private static Func<WriteRequest, CancellationToken, Task<WriteOutcome>> Cluster(FakeTimeProvider time, Func<DateTimeOffset?> faultAt)
    {
        return (_, _) =>
        {
            time.Advance(TimeSpan.FromMilliseconds(20)); // every request takes 20 ms
            var now = time.GetUtcNow();
            if (faultAt() is not { } t0)
            {
                return Task.FromResult(WriteOutcome.Acknowledged("primary"));
            }

            return Task.FromResult(now - t0 < TimeSpan.FromSeconds(7)
                ? WriteOutcome.Indeterminate("HTTP 503")
                : WriteOutcome.Acknowledged("secondary"));
        };
    }

    [Fact]
    public async Task Recovery_time_runs_from_the_fault_to_the_first_acknowledgement_by_another_node()
    {
        var time = new FakeTimeProvider();
        var history = new WriteHistory();
        DateTimeOffset? faultAt = null;
        var options = new SequentialWriterOptions { DelayBetweenWrites = TimeSpan.Zero, MaxAttempts = 5 };

        await new SequentialWriter("a", Cluster(time, () => faultAt), history, options, time).RunAsync(TestContext.Current.CancellationToken);
        faultAt = time.GetUtcNow();
        await new SequentialWriter("a", Cluster(time, () => faultAt), history, options with { MaxAcknowledgedWrites = 3, MaxAttempts = null }, time)
            .RunAsync(TestContext.Current.CancellationToken);

        var rto = RtoMeasurement.Measure(history.Snapshot(), faultAt.Value, "primary");

        rto.Recovered.Should().BeTrue(rto.FailureText);
        rto.FirstWriteThroughNewLeader!.ServedBy.Should().Be("secondary");
        rto.Recovery.Should().Be(TimeSpan.FromMilliseconds(7000), "attempts end every 20 ms and the 350th, at exactly 7 s, is the first the new leader acknowledges");
        rto.FailureText.Should().BeNull();
    }

    [Fact]
    public void Acknowledgements_by_the_old_leader_or_before_the_fault_do_not_count()
    {
        var t0 = new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);
        WriteRecord[] history =
        [
            new("a", "k", 1, t0.AddSeconds(-2), t0.AddSeconds(-1), WriteOutcomeKind.Acknowledged, "secondary", null),
            new("a", "k", 2, t0.AddSeconds(1), t0.AddSeconds(2), WriteOutcomeKind.Acknowledged, "primary", null),
            new("a", "k", 3, t0.AddSeconds(3), t0.AddSeconds(4), WriteOutcomeKind.Acknowledged, null, null),
            new("a", "k", 4, t0.AddSeconds(5), t0.AddSeconds(15), WriteOutcomeKind.Indeterminate, null, "timeout"),
        ];

        var rto = RtoMeasurement.Measure(history, t0, "primary");

        rto.Recovered.Should().BeFalse();
        rto.Recovery.Should().BeNull();
        rto.FailureText.Should()
            .Contain("other than the old leader 'primary'")
            .And.Contain("3 attempts ended after it (1 acknowledged by the old leader, 1 acknowledged by an unknown node, 1 indeterminate, 0 failed)");
    }
}
