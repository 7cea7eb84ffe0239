using FluentAssertions;
using MultiDcVault.Harness.Faults;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Faults;

public sealed class FaultScopeTests
{
    [Fact]
    public async Task Heal_runs_when_the_body_throws_and_the_body_exception_surfaces()
    {
        var fault = new RecordingFault();

        var act = async () =>
        {
            await using var scope = await FaultScope.InjectAsync(fault, TestContext.Current.CancellationToken);
            throw new InvalidOperationException("assertion in the body failed");
        };

        await act.Should().ThrowAsync<InvalidOperationException>().WithMessage("assertion in the body failed");
        fault.Calls.Should().Equal("inject", "heal");
    }

    [Fact]
    public async Task An_inject_that_throws_is_healed_before_the_exception_surfaces()
    {
        var fault = new RecordingFault { FailInject = true };

        var act = () => FaultScope.InjectAsync(fault, TestContext.Current.CancellationToken);

        await act.Should().ThrowAsync<InvalidOperationException>().WithMessage("inject broke halfway");
        fault.Calls.Should().Equal("inject", "heal");
    }

    [Fact]
    public async Task A_cancelled_run_is_still_healed_with_a_live_token()
    {
        var fault = new RecordingFault();
        using var cts = new CancellationTokenSource();

        var act = async () =>
        {
            await using var scope = await FaultScope.InjectAsync(fault, cts.Token);
            await cts.CancelAsync();
            cts.Token.ThrowIfCancellationRequested();
        };

        await act.Should().ThrowAsync<OperationCanceledException>();
        fault.Calls.Should().Equal("inject", "heal");
        fault.HealTokenWasCancelled.Should().Equal(false);
    }

    [Fact]
    public async Task An_explicit_heal_is_not_repeated_on_dispose_and_times_are_recorded()
    {
        var time = new FakeTimeProvider();
        var fault = new RecordingFault();
        var start = time.GetUtcNow();

        await using (var scope = await FaultScope.InjectAsync(fault, TestContext.Current.CancellationToken, time))
        {
            time.Advance(TimeSpan.FromSeconds(30));
            await scope.HealAsync(TestContext.Current.CancellationToken);
            scope.InjectStartedAt.Should().Be(start);
            scope.HealedAt.Should().Be(start + TimeSpan.FromSeconds(30));
        }

        fault.Calls.Should().Equal("inject", "heal");
    }

    [Fact]
    public async Task RunAsync_reports_a_heal_failure_together_with_the_body_failure()
    {
        var fault = new RecordingFault { FailHeal = true };

        var act = () => FaultScope.RunAsync(fault, (_, _) => throw new InvalidOperationException("body failed"), TestContext.Current.CancellationToken);

        var thrown = await act.Should().ThrowAsync<AggregateException>();
        thrown.Which.InnerExceptions.Select(e => e.Message).Should().Equal("body failed", "heal broke");
    }

    [Fact]
    public async Task RunAsync_heals_after_a_successful_body()
    {
        var fault = new RecordingFault();
        var bodyRan = false;

        await FaultScope.RunAsync(fault, (scope, _) => { bodyRan = !scope.IsHealed; return Task.CompletedTask; }, TestContext.Current.CancellationToken);

        bodyRan.Should().BeTrue();
        fault.Calls.Should().Equal("inject", "heal");
    }
}
