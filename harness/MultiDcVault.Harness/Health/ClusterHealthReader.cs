using MultiDcVault.Harness.Infrastructure.Secrets;
using System.Text.Json;
using MultiDcVault.Harness.Infrastructure.Vault;
using MultiDcVault.Harness.Infrastructure.Polling;
using MultiDcVault.Harness.Verification;

namespace MultiDcVault.Harness.Health;

/// <summary>One reading of the whole cluster: every node's sys/leader plus autopilot and the Raft configuration.</summary>
/// <param name="ReadThrough">The datacenter autopilot and the Raft configuration were read through (null: none answered).</param>
public sealed record ClusterHealthReading(
    RaftHealthSnapshot Snapshot,
    AutopilotState? Autopilot,
    RaftConfiguration? Configuration,
    IReadOnlyList<NodeLeaderObservation> Observations,
    string? ReadThrough,
    DateTimeOffset At)
{
    public bool Healthy => Snapshot.Healthy;

    /// <summary>Autopilot state as JSON for the run report (redacted; "null" while autopilot starts).</summary>
    public AutopilotSnapshot ToAutopilotSnapshot(string label) =>
        AutopilotSnapshot.Create(label, At, JsonSerializer.Serialize(Autopilot, VaultJson.Options));

    public override string ToString() => $"{Snapshot}; sys/leader: {LeaderLocator.Describe(Observations)}";
}

/// <summary>Reads and waits for Raft health through <see cref="IVaultNodeProbe"/>, judged by <see cref="RaftHealthEvaluator"/>.</summary>
public sealed class ClusterHealthReader
{
    private readonly IVaultNodeProbe _probe;
    private readonly LeaderLocator _locator;
    private readonly TimeProvider _timeProvider;

    public ClusterHealthReader(IVaultNodeProbe probe, TimeProvider? timeProvider = null, TimeSpan? pollInterval = null)
        : this(probe, new LeaderLocator(probe, timeProvider, pollInterval), timeProvider)
    {
    }

    /// <summary>Shares <paramref name="locator"/> (and so its expected-unreachable datacenters) with the caller.</summary>
    public ClusterHealthReader(IVaultNodeProbe probe, LeaderLocator locator, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(locator);
        _probe = probe;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _locator = locator;
    }

    /// <summary>Every datacenter hosts one voter.</summary>
    public int ExpectedVoters => _probe.Datacenters.Count;

    public async Task<ClusterHealthReading> ReadAsync(CancellationToken cancellationToken)
    {
        var observations = await _locator.ObserveAsync(cancellationToken);
        var leader = _locator.Locate(observations);

        // Standbys forward these to the active node; prefer the active node itself, then any node that answered.
        var candidates = new[] { leader?.Datacenter }
            .Concat(observations.Where(o => o.Leader is not null).Select(o => o.Node))
            .Where(dc => dc is not null)
            .Distinct(StringComparer.Ordinal);
        AutopilotState? autopilot = null;
        RaftConfiguration? configuration = null;
        string? readThrough = null;
        var errors = new List<string>();
        foreach (var dc in candidates)
        {
            try
            {
                autopilot = await _probe.GetAutopilotStateAsync(dc!, cancellationToken);
                configuration = await _probe.GetRaftConfigurationAsync(dc!, cancellationToken);
                readThrough = dc;
                break;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                errors.Add($"{dc}: {Redactor.Default.Redact(ex.Message)}");
            }
        }

        var snapshot = RaftHealthEvaluator.Evaluate(autopilot, configuration, observations, ExpectedVoters);
        if (readThrough is null)
        {
            snapshot = snapshot with
            {
                Problems = [.. snapshot.Problems, "could not read autopilot state and Raft configuration through any node" + (errors.Count == 0 ? string.Empty : ": " + string.Join("; ", errors))],
            };
        }

        return new ClusterHealthReading(snapshot, autopilot, configuration, observations, readThrough, _timeProvider.GetUtcNow());
    }

    /// <summary>Polls until <paramref name="condition"/> holds for a reading (default: healthy).</summary>
    /// <exception cref="TimeoutException">The message carries the last reading's problems.</exception>
    public async Task<ClusterHealthReading> WaitUntilAsync(
        Func<ClusterHealthReading, bool>? condition,
        TimeSpan timeout,
        string what,
        CancellationToken cancellationToken)
    {
        condition ??= r => r.Healthy;
        return await Poll.UntilAsync(
            ReadAsync,
            condition,
            PollSchedule.For(timeout, _locator.PollInterval),
            _timeProvider,
            reading => $"Waited {timeout.TotalSeconds:0} s for {what}; last reading: {reading}. " +
                       "Run 'multidc status' and look at the Vault pods' logs (kubectl logs vault-<dc>-0 -c vault).",
            cancellationToken);
    }

    public Task<ClusterHealthReading> WaitForHealthyAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        WaitUntilAsync(null, timeout, $"a healthy cluster ({ExpectedVoters} voters, one agreed leader, autopilot healthy)", cancellationToken);
}
