using System.Globalization;
using System.Text;

namespace MultiDcVault.Harness.Verification;

internal sealed record HistoryCheckOptions
{
    /// <summary>
    /// The shortest time in which Raft leadership can move from one node to another. The split-brain
    /// check needs two handovers to fit between writes, so this sets its sensitivity. 500 ms is below
    /// a Raft election at performance_multiplier 1 (1 s heartbeat timeout before an election starts).
    /// </summary>
    public TimeSpan MinimumLeaderHandover { get; init; } = TimeSpan.FromMilliseconds(500);
}

/// <summary>An acknowledged write that the final read does not show.</summary>
/// <param name="FinalValue">What the final read returned for the key (null: key missing).</param>
public sealed record LostWrite(WriteRecord Write, long? FinalValue);

/// <summary>A final value no write attempt could have produced (greater than every counter attempted at the key).</summary>
public sealed record UnexplainedValue(string Key, long Value, long HighestAttempted);

/// <summary>
/// Proof that two nodes accepted writes in the same period: node X acknowledged <see cref="Before"/>,
/// then node Y acknowledged <see cref="Between"/>, then X acknowledged <see cref="After"/>, each strictly
/// after the previous one ended, all inside a span shorter than two leader handovers.
/// </summary>
public sealed record SplitBrainEvidence(WriteRecord Before, WriteRecord Between, WriteRecord After)
{
    /// <summary>One sentence naming the three writes, their nodes and times, and the span they fit in.</summary>
    public string Describe() =>
        $"node '{Before.ServedBy}' acknowledged {Before.Key}={Before.Counter} (ended {Before.End:O}), " +
        $"node '{Between.ServedBy}' then acknowledged {Between.Key}={Between.Counter} ({Between.Start:O} .. {Between.End:O}), " +
        $"and node '{After.ServedBy}' again acknowledged {After.Key}={After.Counter} (started {After.Start:O}); " +
        $"{(After.End - Before.Start).TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms in all";
}

/// <summary>The verdict of checking a write history against the final read through one datacenter.</summary>
/// <param name="Attempts">Write attempts in the history, retries included.</param>
/// <param name="Acknowledged">Distinct (key, counter) pairs acknowledged; a counter retried after an indeterminate attempt counts once.</param>
/// <param name="Failed">Attempts the server refused (4xx).</param>
/// <param name="Indeterminate">Attempts that may or may not have been applied (timeout, 5xx, no answer).</param>
/// <param name="Lost">Acknowledged writes the final read does not show, oldest first.</param>
/// <param name="Unexplained">Final values that no attempt could have written.</param>
/// <param name="SplitBrain">Evidence that two nodes accepted writes at the same time.</param>
public sealed record HistoryCheckResult(
    int Attempts,
    int Acknowledged,
    int Failed,
    int Indeterminate,
    IReadOnlyList<LostWrite> Lost,
    IReadOnlyList<UnexplainedValue> Unexplained,
    IReadOnlyList<SplitBrainEvidence> SplitBrain)
{
    /// <summary>True when nothing was lost, no value is unexplained and there is no split-brain evidence.</summary>
    public bool Passed => Lost.Count == 0 && Unexplained.Count == 0 && SplitBrain.Count == 0;

    /// <summary>The verdict and counts on one line, then up to 10 lost writes, 10 unexplained values and 3 split-brain windows, one per line.</summary>
    public string Summary
    {
        get
        {
            var text = new StringBuilder();
            text.Append(CultureInfo.InvariantCulture,
                $"{(Passed ? "PASSED" : "FAILED")}: {Attempts} write attempts, {Acknowledged} acknowledged, " +
                $"{Indeterminate} indeterminate, {Failed} failed, {Lost.Count} acknowledged but lost, " +
                $"{Unexplained.Count} unexplained values, {SplitBrain.Count} split-brain windows.");
            foreach (var lost in Lost.Take(10))
            {
                text.Append(CultureInfo.InvariantCulture,
                    $"\n  lost: {lost.Write.Key}={lost.Write.Counter} acknowledged by '{lost.Write.ServedBy}' at {lost.Write.End:O}, final read: {(lost.FinalValue is { } v ? v.ToString(CultureInfo.InvariantCulture) : "missing")}");
            }

            foreach (var value in Unexplained.Take(10))
            {
                text.Append(CultureInfo.InvariantCulture,
                    $"\n  unexplained: {value.Key}={value.Value} but the highest counter ever written there was {value.HighestAttempted}");
            }

            foreach (var evidence in SplitBrain.Take(3))
            {
                text.Append("\n  split brain: ").Append(evidence.Describe());
            }

            return text.ToString();
        }
    }
}

/// <summary>
/// Checks a write history against a final read, the way HashiCorp's fencing tests and Jepsen do:
/// <list type="bullet">
/// <item>an acknowledged write (key k, counter c) is readable iff the final value of k exists and is >= c
/// (later writes to a single key may overwrite it with larger counters); otherwise it is lost;</item>
/// <item>indeterminate and failed writes are never lost: they may or may not have been applied;</item>
/// <item>a final value larger than any counter attempted at that key is unexplained (a phantom write);</item>
/// <item>split brain: see <see cref="SplitBrainEvidence"/>. Sequential leadership needs a handover between any
/// two writes acknowledged by different nodes; X, then Y, then X again in strict real-time order needs two,
/// so if all three fit in less than two <see cref="HistoryCheckOptions.MinimumLeaderHandover"/>s the nodes
/// must have been accepting writes at the same time. Overlapping writes alone prove nothing (a write's commit
/// can be anywhere inside its interval), and writes without a known server are ignored.</item>
/// </list>
/// </summary>
internal static class HistoryChecker
{
    /// <summary>Reads the final value of every key in the history through <paramref name="readCounter"/> (null: key missing).</summary>
    public static async Task<IReadOnlyDictionary<string, long?>> ReadFinalStateAsync(
        IReadOnlyList<WriteRecord> history,
        Func<string, CancellationToken, Task<long?>> readCounter,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(readCounter);
        var state = new Dictionary<string, long?>(StringComparer.Ordinal);
        foreach (var key in history.Select(r => r.Key).Distinct(StringComparer.Ordinal))
        {
            state[key] = await readCounter(key, cancellationToken);
        }

        return state;
    }

    /// <param name="finalState">Final value per key; a key that is absent or null was not found.</param>
    public static HistoryCheckResult Check(IReadOnlyList<WriteRecord> history, IReadOnlyDictionary<string, long?> finalState, HistoryCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(finalState);
        options ??= new HistoryCheckOptions();

        // A counter retried after an indeterminate attempt may be acknowledged once; count distinct (key, counter).
        var acknowledged = history
            .Where(r => r.IsAcknowledged)
            .GroupBy(r => (r.Key, r.Counter))
            .Select(g => g.OrderBy(r => r.End).First())
            .ToList();

        var lost = new List<LostWrite>();
        foreach (var write in acknowledged)
        {
            var finalValue = finalState.TryGetValue(write.Key, out var value) ? value : null;
            if (finalValue is null || finalValue < write.Counter)
            {
                lost.Add(new LostWrite(write, finalValue));
            }
        }

        var unexplained = new List<UnexplainedValue>();
        foreach (var byKey in history.GroupBy(r => r.Key, StringComparer.Ordinal))
        {
            var highest = byKey.Max(r => r.Counter);
            if (finalState.TryGetValue(byKey.Key, out var value) && value > highest)
            {
                unexplained.Add(new UnexplainedValue(byKey.Key, value.Value, highest));
            }
        }

        return new HistoryCheckResult(
            history.Count,
            acknowledged.Count,
            history.Count(r => r.Outcome == WriteOutcomeKind.Failed),
            history.Count(r => r.Outcome == WriteOutcomeKind.Indeterminate),
            [.. lost.OrderBy(l => l.Write.End)],
            unexplained,
            FindSplitBrain(history, options.MinimumLeaderHandover));
    }

    /// <summary>One evidence triple per write that is sandwiched between two writes of another node.</summary>
    public static IReadOnlyList<SplitBrainEvidence> FindSplitBrain(IReadOnlyList<WriteRecord> history, TimeSpan minimumLeaderHandover)
    {
        ArgumentNullException.ThrowIfNull(history);
        var window = minimumLeaderHandover * 2;
        var served = history.Where(r => r.IsAcknowledged && r.ServedBy is not null).OrderBy(r => r.Start).ToList();
        var starts = served.Select(r => r.Start).ToList();
        var evidence = new List<SplitBrainEvidence>();
        foreach (var between in served)
        {
            // Only writes starting within one window of `between` can be part of a triple shorter than the window.
            var from = FirstIndexAfter(starts, between.Start - window);
            var to = FirstIndexAfter(starts, between.End + window);
            var candidates = served.GetRange(from, to - from);

            var before = candidates
                .Where(r => r.ServedBy != between.ServedBy && r.Precedes(between))
                .GroupBy(r => r.ServedBy!, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.MaxBy(r => r.Start)!, StringComparer.Ordinal);
            if (before.Count == 0)
            {
                continue;
            }

            var found = candidates
                .Where(r => before.ContainsKey(r.ServedBy!) && between.Precedes(r))
                .Select(after => new SplitBrainEvidence(before[after.ServedBy!], between, after))
                .Where(e => e.After.End - e.Before.Start < window)
                .MinBy(e => e.After.End - e.Before.Start);
            if (found is not null)
            {
                evidence.Add(found);
            }
        }

        return evidence;
    }

    /// <summary>Index of the first start strictly after <paramref name="value"/> (starts are sorted).</summary>
    private static int FirstIndexAfter(List<DateTimeOffset> starts, DateTimeOffset value)
    {
        int low = 0, high = starts.Count;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (starts[middle] <= value)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}
