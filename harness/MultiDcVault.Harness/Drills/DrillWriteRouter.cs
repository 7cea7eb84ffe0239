using MultiDcVault.Harness.Health;
using MultiDcVault.Harness.Infrastructure.Vault;
using MultiDcVault.Harness.Verification;

namespace MultiDcVault.Harness.Drills;

/// <summary>
/// Write delegates for <see cref="SequentialWriter"/>s that send KV v2 writes to a datacenter chosen by a
/// <see cref="WriteRouting"/> and label every acknowledged write with the node that served it.
/// <para>
/// What <see cref="WriteOutcome.ServedBy"/> means here: the datacenter whose node the written-to node names as
/// active right after the acknowledgement (itself when it answers is_self, else its leader_address mapped to a
/// datacenter by LoadBalancer IP), i.e. the active node that committed the write, as seen from the entry node.
/// It is deliberately not the datacenter written to: with request forwarding a write through a standby is served
/// by the active node, and labelling it with the entry datacenter would make two clients writing through two
/// datacenters look like two leaders to the split-brain check (X, Y, X acknowledged in less than two handovers).
/// A leadership change between the acknowledgement and the question can attribute one write to the newer leader;
/// that cannot form an X, Y, X pattern without two handovers, which the checker already rules out within its window.
/// When the entry node does not answer, ServedBy is null: the write must still be readable, but it proves neither
/// recovery (RTO) nor split brain.
/// </para>
/// </summary>
internal sealed class DrillWriteRouter
{
    private readonly IKvCounterStore _store;
    private readonly RaftObserver _raft;
    private readonly IReadOnlyList<string> _datacenters;
    private readonly string _initialLeader;
    private volatile string _leaderHint;

    public DrillWriteRouter(IKvCounterStore store, RaftObserver raft, IReadOnlyList<string> datacenters, string initialLeader)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(raft);
        ArgumentNullException.ThrowIfNull(datacenters);
        ArgumentException.ThrowIfNullOrWhiteSpace(initialLeader);
        if (datacenters.Count == 0)
        {
            throw new ArgumentException("No datacenters to write to.", nameof(datacenters));
        }

        _store = store;
        _raft = raft;
        _datacenters = datacenters;
        _initialLeader = initialLeader;
        _leaderHint = initialLeader;
    }

    /// <summary>The datacenter Leader-routed writers currently send to.</summary>
    public string LeaderHint => _leaderHint;

    /// <summary>A write delegate for writer number <paramref name="writerIndex"/> (0-based; spreads AnyDatacenter writers over the standbys).</summary>
    public Func<WriteRequest, CancellationToken, Task<WriteOutcome>> CreateWriter(WriteRouting routing, int writerIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(writerIndex);
        var state = new WriterState { Position = routing == WriteRouting.AnyDatacenter ? StartPosition(writerIndex) : 0 };
        return (request, cancellationToken) => WriteAsync(routing, state, request, cancellationToken);
    }

    private int StartPosition(int writerIndex)
    {
        var standbys = Enumerable.Range(0, _datacenters.Count)
            .Where(i => !string.Equals(_datacenters[i], _initialLeader, StringComparison.Ordinal))
            .ToList();
        return standbys.Count == 0 ? 0 : standbys[writerIndex % standbys.Count];
    }

    private async Task<WriteOutcome> WriteAsync(WriteRouting routing, WriterState state, WriteRequest request, CancellationToken cancellationToken)
    {
        if (routing == WriteRouting.Leader && state.RelocateLeader)
        {
            // Inside the attempt on purpose: a wider interval only makes the history checks more conservative.
            if (await _raft.FindLeaderAsync(cancellationToken) is { } found)
            {
                _leaderHint = found.Datacenter;
            }

            state.RelocateLeader = false;
        }

        var target = routing == WriteRouting.Leader ? _leaderHint : _datacenters[state.Position % _datacenters.Count];
        try
        {
            await _store.WriteCounterAsync(target, request.Key, request.Counter, cancellationToken);
        }
        catch (VaultApiException ex)
        {
            MoveOn(routing, state);
            var outcome = WriteOutcome.FromStatusCode((int)ex.StatusCode, servedBy: null);
            return outcome with { Detail = $"{outcome.Detail} through {target}: {string.Join("; ", ex.Errors)}" };
        }
        catch
        {
            // Timeout, connection error, cancellation: the writer records it as indeterminate.
            MoveOn(routing, state);
            throw;
        }

        // Not the caller's token: the write is acknowledged whatever happens now; the probe's own timeout bounds this.
        var servedBy = await _raft.ActiveAccordingToAsync(target, CancellationToken.None);
        if (routing == WriteRouting.Leader && servedBy is not null)
        {
            _leaderHint = servedBy;
        }

        return WriteOutcome.Acknowledged(servedBy, $"through {target}");
    }

    private static void MoveOn(WriteRouting routing, WriterState state)
    {
        if (routing == WriteRouting.Leader)
        {
            state.RelocateLeader = true;
        }
        else
        {
            state.Position++;
        }
    }

    private sealed class WriterState
    {
        public int Position { get; set; }

        public bool RelocateLeader { get; set; }
    }
}
