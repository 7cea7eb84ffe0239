using System.Globalization;
using MultiDcVault.Harness.Drills;
using MultiDcVault.Harness.Health;
using MultiDcVault.Harness.Infrastructure.Secrets;
using MultiDcVault.Harness.Verification;

namespace MultiDcVault.Harness.Scenarios;

/// <summary>What the writers and the reader did, once stopped.</summary>
internal sealed record WorkloadResult(IReadOnlyList<WriterSummary> Writers, IReadOnlyList<WriteRecord> Writes, IReadOnlyList<ReadRecord> Reads);

/// <summary>
/// The load every scenario runs: sequential writers (one leader-routed, one through any datacenter, as in the
/// failover drill) and, when asked, a reader that reads the writers' keys through each datacenter in turn, so the
/// stale-read check has reads to judge. Runs until stopped; writes and reads are recorded with client-side times.
/// </summary>
internal sealed class ScenarioWorkload : IAsyncDisposable
{
    private readonly WriteHistory _writes = new();
    private readonly ReadHistory _reads = new();
    private readonly CancellationTokenSource _stop;
    private readonly List<Task<WriterSummary>> _writers;
    private readonly Task _reader;
    private WorkloadResult? _result;

    private ScenarioWorkload(
        IKvCounterStore store, RaftObserver raft, IReadOnlyList<string> datacenters, string leader, ScenarioTiming timing,
        string keyPrefix, bool withReader, TimeProvider time, CancellationToken cancellationToken)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var router = new DrillWriteRouter(store, raft, datacenters, leader);
        var options = new SequentialWriterOptions
        {
            KeyMode = WriterKeyMode.SingleKey,
            KeyPrefix = keyPrefix,
            WriteTimeout = timing.WriteTimeout,
            DelayBetweenWrites = timing.DelayBetweenWrites,
            MaxDuration = timing.WorkloadLimit,
        };
        WriteRouting[] routings = [WriteRouting.Leader, WriteRouting.AnyDatacenter];
        var writers = routings
            .Select((routing, i) => new SequentialWriter($"w{i + 1}-{routing.ToString().ToLowerInvariant()}", router.CreateWriter(routing, i), _writes, options, time))
            .ToList();
        Keys = [.. writers.Select(w => options.KeyFor(w.WriterId, 0))];
        _writers = [.. writers.Select(w => Task.Run(() => w.RunAsync(_stop.Token), CancellationToken.None))];
        _reader = withReader
            ? Task.Run(() => ReadLoopAsync(store, datacenters, timing, time, _stop.Token), CancellationToken.None)
            : Task.CompletedTask;
    }

    /// <summary>The writers' keys (one each).</summary>
    public IReadOnlyList<string> Keys { get; }

    public static ScenarioWorkload Start(
        IKvCounterStore store, RaftObserver raft, IReadOnlyList<string> datacenters, string leader, ScenarioTiming timing,
        string scenario, bool withReader, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(raft);
        ArgumentNullException.ThrowIfNull(timing);
        var prefix = string.Create(CultureInfo.InvariantCulture, $"scenarios/{scenario}-{time.GetUtcNow():yyyyMMdd-HHmmss-fff}");
        return new ScenarioWorkload(store, raft, datacenters, leader, timing, prefix, withReader, time, cancellationToken);
    }

    /// <summary>The writes so far (for checks in the middle of a run).</summary>
    public IReadOnlyList<WriteRecord> WritesSoFar => _writes.Snapshot();

    /// <summary>The reads so far.</summary>
    public IReadOnlyList<ReadRecord> ReadsSoFar => _reads.Snapshot();

    /// <summary>Stops the writers and the reader and returns what they did; repeatable.</summary>
    public async Task<WorkloadResult> StopAsync()
    {
        if (_result is not null)
        {
            return _result;
        }

        await _stop.CancelAsync();
        var summaries = await Task.WhenAll(_writers);
        await _reader;
        _result = new WorkloadResult(summaries, _writes.Snapshot(), _reads.Snapshot());
        return _result;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }

    private async Task ReadLoopAsync(IKvCounterStore store, IReadOnlyList<string> datacenters, ScenarioTiming timing, TimeProvider time, CancellationToken stop)
    {
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var key = Keys[i % Keys.Count];
            var through = datacenters[i / Keys.Count % datacenters.Count];
            var start = time.GetUtcNow();
            using var timeout = new CancellationTokenSource(timing.WriteTimeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop, timeout.Token);
            try
            {
                var value = await store.ReadCounterAsync(through, key, linked.Token);
                _reads.Record(new ReadRecord(key, start, time.GetUtcNow(), value, Succeeded: true, through));
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _reads.Record(new ReadRecord(key, start, time.GetUtcNow(), null, Succeeded: false, through, Redactor.Default.Redact(ex.Message)));
            }

            try
            {
                await Task.Delay(timing.DelayBetweenWrites, time, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
