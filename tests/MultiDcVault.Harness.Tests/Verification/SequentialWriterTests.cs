using FluentAssertions;
using MultiDcVault.Harness.Tests.TestSupport;
using MultiDcVault.Harness.Verification;
using Xunit;

namespace MultiDcVault.Harness.Tests.Verification;

public sealed class SequentialWriterTests
{
    private static readonly SequentialWriterOptions NoDelay = new() { DelayBetweenWrites = TimeSpan.Zero };

    /// <summary>Answers with the scripted outcomes in order (an exception instead of an outcome is thrown).</summary>
    private static Func<WriteRequest, CancellationToken, Task<WriteOutcome>> Scripted(List<WriteRequest> seen, params object[] script)
    {
        var next = 0;
        return (request, _) =>
        {
            seen.Add(request);
            var step = script[next++ % script.Length];
            return step is Exception ex ? Task.FromException<WriteOutcome>(ex) : Task.FromResult((WriteOutcome)step);
        };
    }

    [Fact]
    public async Task The_counter_advances_only_on_an_acknowledged_write()
    {
        var seen = new List<WriteRequest>();
        var history = new WriteHistory();
        var write = Scripted(
            seen,
            WriteOutcome.Acknowledged("primary"),
            WriteOutcome.Indeterminate("HTTP 503"),
            WriteOutcome.Failed("HTTP 400"),
            WriteOutcome.Acknowledged("primary"),
            new HttpRequestException("Connection refused"),
            WriteOutcome.Acknowledged("secondary"));

        var summary = await new SequentialWriter("w1", write, history, NoDelay with { MaxAttempts = 6 }, new FakeTimeProvider())
            .RunAsync(TestContext.Current.CancellationToken);

        seen.Select(r => r.Counter).Should().Equal(1, 2, 2, 2, 3, 3);
        seen.Should().OnlyContain(r => r.Key == "writer/w1" && r.WriterId == "w1");
        summary.Should().Be(new WriterSummary("w1", 6, 3, 1, 2, 3, false));
        var records = history.Snapshot();
        records.Select(r => r.Outcome).Should().Equal(
            WriteOutcomeKind.Acknowledged, WriteOutcomeKind.Indeterminate, WriteOutcomeKind.Failed,
            WriteOutcomeKind.Acknowledged, WriteOutcomeKind.Indeterminate, WriteOutcomeKind.Acknowledged);
        records[4].Detail.Should().Contain("HttpRequestException").And.Contain("Connection refused");
        records[5].ServedBy.Should().Be("secondary");
    }

    [Fact]
    public async Task One_key_per_write_names_each_counter()
    {
        var seen = new List<WriteRequest>();
        var options = NoDelay with { KeyMode = WriterKeyMode.KeyPerWrite, KeyPrefix = "fence", MaxAcknowledgedWrites = 3 };

        await new SequentialWriter("w2", Scripted(seen, WriteOutcome.Acknowledged("n")), new WriteHistory(), options, new FakeTimeProvider())
            .RunAsync(TestContext.Current.CancellationToken);

        seen.Select(r => r.Key).Should().Equal("fence/w2/1", "fence/w2/2", "fence/w2/3");
    }

    [Fact]
    public async Task It_stops_at_the_acknowledged_write_bound_even_with_failures_in_between()
    {
        var seen = new List<WriteRequest>();

        var summary = await new SequentialWriter("w", Scripted(seen, WriteOutcome.Indeterminate("x"), WriteOutcome.Acknowledged("n")), new WriteHistory(), NoDelay with { MaxAcknowledgedWrites = 4 }, new FakeTimeProvider())
            .RunAsync(TestContext.Current.CancellationToken);

        summary.Acknowledged.Should().Be(4);
        summary.Attempts.Should().Be(8);
        summary.LastAcknowledgedCounter.Should().Be(4);
    }

    [Fact]
    public async Task It_starts_no_write_after_the_time_bound()
    {
        var time = new FakeTimeProvider();
        var attempts = 0;
        Task<WriteOutcome> Write(WriteRequest request, CancellationToken ct)
        {
            attempts++;
            time.Advance(TimeSpan.FromSeconds(1));
            return Task.FromResult(WriteOutcome.Acknowledged("n"));
        }

        var summary = await new SequentialWriter("w", Write, new WriteHistory(), NoDelay with { MaxDuration = TimeSpan.FromSeconds(5) }, time)
            .RunAsync(TestContext.Current.CancellationToken);

        attempts.Should().Be(5);
        summary.StoppedByCancellation.Should().BeFalse();
    }

    [Fact]
    public async Task Cancellation_stops_it_and_returns_the_summary_with_the_in_flight_write_as_indeterminate()
    {
        using var stop = new CancellationTokenSource();
        var history = new WriteHistory();
        var calls = 0;
        async Task<WriteOutcome> Write(WriteRequest request, CancellationToken ct)
        {
            if (++calls == 3)
            {
                await stop.CancelAsync();
                ct.ThrowIfCancellationRequested();
            }

            return WriteOutcome.Acknowledged("n");
        }

        var summary = await new SequentialWriter("w", Write, history, NoDelay with { MaxAttempts = 100 }, new FakeTimeProvider()).RunAsync(stop.Token);

        summary.Should().Be(new WriterSummary("w", 3, 2, 0, 1, 2, true));
        history.Snapshot()[^1].Detail.Should().Be("writer stopped while the write was in flight");
    }

    [Fact]
    public async Task A_write_that_outlives_its_timeout_is_indeterminate_and_retried_with_the_same_counter()
    {
        var time = new FakeTimeProvider();
        var seen = new List<long>();
        async Task<WriteOutcome> Write(WriteRequest request, CancellationToken ct)
        {
            seen.Add(request.Counter);
            if (seen.Count == 1)
            {
                time.Advance(TimeSpan.FromSeconds(3)); // the server hangs past the writer's timeout
                await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            }

            return WriteOutcome.Acknowledged("n");
        }

        var history = new WriteHistory();
        await new SequentialWriter("w", Write, history, NoDelay with { MaxAttempts = 2, WriteTimeout = TimeSpan.FromSeconds(2) }, time)
            .RunAsync(TestContext.Current.CancellationToken);

        seen.Should().Equal(1, 1);
        history.Snapshot()[0].Outcome.Should().Be(WriteOutcomeKind.Indeterminate);
        history.Snapshot()[0].Detail.Should().StartWith("timed out after 00:00:02");
    }

    [Fact]
    public void A_writer_without_any_bound_is_refused()
    {
        var act = () => new SequentialWriter("w", (_, _) => Task.FromResult(WriteOutcome.Acknowledged("n")), new WriteHistory(), NoDelay);

        act.Should().Throw<ArgumentException>().WithMessage("*MaxAcknowledgedWrites, MaxAttempts or MaxDuration*");
    }

    [Theory]
    [InlineData(200, WriteOutcomeKind.Acknowledged)]
    [InlineData(204, WriteOutcomeKind.Acknowledged)]
    [InlineData(400, WriteOutcomeKind.Failed)]
    [InlineData(403, WriteOutcomeKind.Failed)]
    [InlineData(429, WriteOutcomeKind.Failed)]
    [InlineData(500, WriteOutcomeKind.Indeterminate)]
    [InlineData(503, WriteOutcomeKind.Indeterminate)]
    [InlineData(307, WriteOutcomeKind.Indeterminate)]
    public void Http_status_codes_are_classified_the_jepsen_way(int status, WriteOutcomeKind expected)
    {
        WriteOutcome.FromStatusCode(status, "n").Kind.Should().Be(expected);
    }
}
