using System.Diagnostics;
using FluentAssertions;
using MultiDcVault.Harness.Infrastructure.Polling;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Infrastructure.Polling;

// Polly.Core's retry pauses with Task.Delay(delay, timeProvider, ct) on the builder's TimeProvider
// (App-vNext/Polly, commit 173d6d1d, src/Polly.Core/Utils/TimeProviderExtensions.cs DelayAsync, called from
// src/Polly.Core/Retry/RetryResilienceStrategy.cs; same code at tag 8.7.0, the newest tag in the mirror; the harness pins 8.9.1).
// These tests pin that the poll helper's pauses and its time budget run on the injected clock, not the wall clock.
public sealed class PollTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Pauses_are_timers_on_the_injected_clock_of_the_schedule_interval()
    {
        var time = new FakeTimeProvider();
        var calls = 0;

        var value = await FakeClock.RunAsync(time, () => Poll.UntilAsync(
            _ => Task.FromResult(++calls),
            n => n == 3,
            PollSchedule.For(TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(7)),
            time,
            n => $"still {n}",
            Ct), TimeSpan.FromSeconds(1));

        value.Should().Be(3);
        time.RequestedDelays.Should().Equal(TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(7));
    }

    [Fact]
    public async Task Times_out_on_virtual_time_with_the_last_value_in_the_message_and_no_real_wait()
    {
        await using var time = new VirtualTimeProvider();
        var calls = 0;
        var real = Stopwatch.StartNew();

        var act = () => Poll.UntilAsync(
            _ => Task.FromResult(++calls),
            _ => false,
            PollSchedule.For(TimeSpan.FromMinutes(30), TimeSpan.FromSeconds(10)),
            time,
            n => $"gave up after attempt {n}",
            Ct);

        var thrown = await act.Should().ThrowAsync<TimeoutException>();
        // Attempts at 0, 10, ..., 1800 s: the one at the budget's end still counts, then no further pause.
        thrown.Which.Message.Should().Be("gave up after attempt 181");
        time.Elapsed.Should().Be(TimeSpan.FromMinutes(30));
        real.Elapsed.Should().BeLessThan(TimeSpan.FromMinutes(1), "half an hour of polling ran on the virtual clock");
    }

    [Fact]
    public async Task Retries_only_the_chosen_exception_and_rethrows_the_last_after_the_attempts()
    {
        var time = new FakeTimeProvider();
        var calls = 0;

        var act = () => FakeClock.RunAsync(time, () => Poll.RetryAsync<int>(
            _ => throw new InvalidOperationException($"attempt {++calls}"),
            ex => ex is InvalidOperationException,
            PollSchedule.Attempts(3, TimeSpan.FromSeconds(2)),
            time,
            Ct));

        (await act.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Be("attempt 3");
        time.RequestedDelays.Should().Equal(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2));

        var other = () => Poll.RetryAsync<int>(_ => throw new FormatException("not retried"), ex => ex is InvalidOperationException, PollSchedule.Attempts(3, TimeSpan.FromSeconds(2)), time, Ct);
        await other.Should().ThrowAsync<FormatException>();
    }

    [Fact]
    public async Task Before_retry_sees_each_failed_attempt_in_order()
    {
        var time = new FakeTimeProvider();
        var seen = new List<(int, string?)>();
        var calls = 0;

        var result = await FakeClock.RunAsync(time, () => Poll.RetryAsync(
            _ => ++calls < 3 ? throw new InvalidOperationException($"fail {calls}") : Task.FromResult(calls),
            _ => true,
            PollSchedule.Attempts(5, TimeSpan.FromSeconds(1)),
            time,
            Ct,
            (retry, _) =>
            {
                seen.Add((retry.Attempt, retry.Exception?.Message));
                return ValueTask.CompletedTask;
            }));

        result.Should().Be(3);
        seen.Should().Equal((1, "fail 1"), (2, "fail 2"));
    }

    [Fact]
    public async Task A_cancelled_caller_gets_cancellation_not_a_timeout()
    {
        var time = new FakeTimeProvider();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var poll = Poll.UntilAsync(
            _ => Task.FromResult(0),
            _ => false,
            PollSchedule.For(TimeSpan.FromHours(1), TimeSpan.FromSeconds(5)),
            time,
            _ => "timed out",
            cts.Token);
        await cts.CancelAsync();

        await poll.Invoking(p => p).Should().ThrowAsync<OperationCanceledException>();
    }
}
