using MultiDcVault.Harness.Health;
using MultiDcVault.Harness.Infrastructure.Polling;
using MultiDcVault.Harness.Infrastructure.Secrets;
using MultiDcVault.Harness.Verification;

namespace MultiDcVault.Harness.Drills;

/// <summary>
/// Reads every key of a write history back through each datacenter (a few attempts each: a node that just recovered
/// may refuse briefly) and checks the history against what it read. The drill and every scenario end with it.
/// </summary>
internal sealed class AcknowledgedReadBack(IKvCounterStore store, int attempts, TimeSpan pollInterval, TimeProvider time)
{
    /// <summary>The check per datacenter that could be read; a datacenter that could not is a problem, not a check.</summary>
    public async Task<IReadOnlyDictionary<string, HistoryCheckResult>> CheckAsync(
        IReadOnlyList<WriteRecord> records, IReadOnlyList<string> datacenters, List<string> problems, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(datacenters);
        ArgumentNullException.ThrowIfNull(problems);
        var checks = new Dictionary<string, HistoryCheckResult>(StringComparer.Ordinal);
        foreach (var dc in datacenters)
        {
            IReadOnlyDictionary<string, long?> state;
            try
            {
                state = await HistoryChecker.ReadFinalStateAsync(records, (key, ct) => ReadWithRetriesAsync(dc, key, ct), cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                problems.Add($"Could not read the written keys back through {dc} after {attempts} attempts: {Redactor.Default.Redact(ex.Message)}");
                continue;
            }

            var check = HistoryChecker.Check(records, state);
            checks[dc] = check;
            if (!check.Passed)
            {
                problems.Add($"Read back through {dc}: {check.Summary}");
            }
        }

        return checks;
    }

    private async Task<long?> ReadWithRetriesAsync(string datacenter, string key, CancellationToken cancellationToken) =>
        await Poll.RetryAsync(
            ct => store.ReadCounterAsync(datacenter, key, ct),
            _ => !cancellationToken.IsCancellationRequested,
            PollSchedule.Attempts(attempts, pollInterval),
            time,
            cancellationToken);
}
