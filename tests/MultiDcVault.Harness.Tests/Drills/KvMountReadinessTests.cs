using FluentAssertions;
using MultiDcVault.Harness.Drills;
using MultiDcVault.Harness.Health;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Drills;

public sealed class KvMountReadinessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Waits_through_missing_mount_errors_until_a_write_reads_back()
    {
        var store = new FlakyStore(failures: 3);
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);

        await FakeClock.RunAsync(time, async () =>
        {
            await KvMountReadiness.WaitAsync(store, "primary", TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(3), time, Ct);
            return true;
        }, TimeSpan.FromSeconds(1));

        store.Writes.Should().Be(4);
        store.Stored.Should().Be(4, "the last write is the one read back");
    }

    [Fact]
    public async Task Gives_up_after_the_timeout_naming_the_last_error_and_where_the_mount_comes_from()
    {
        var store = new FlakyStore(failures: int.MaxValue);
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);

        var act = () => FakeClock.RunAsync(time, async () =>
        {
            await KvMountReadiness.WaitAsync(store, "primary", TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(3), time, Ct);
            return true;
        }, TimeSpan.FromSeconds(1));

        (await act.Should().ThrowAsync<TimeoutException>()).Which.Message
            .Should().Contain("no handler for route").And.Contain("externalConfig").And.Contain("configurer");
    }

    private sealed class FlakyStore(int failures) : IKvCounterStore
    {
        public int Writes { get; private set; }

        public long? Stored { get; private set; }

        public Task WriteCounterAsync(string datacenter, string key, long counter, CancellationToken cancellationToken)
        {
            Writes++;
            if (Writes <= failures)
            {
                throw new InvalidOperationException("404: no handler for route \"secret/data/multidc-ready/kv\"");
            }

            Stored = counter;
            return Task.CompletedTask;
        }

        public Task<long?> ReadCounterAsync(string datacenter, string key, CancellationToken cancellationToken) => Task.FromResult(Stored);
    }
}
