using MultiDcVault.Harness.Components.Vault;
using MultiDcVault.Harness.Configuration;
using MultiDcVault.Harness.Infrastructure.Polling;
using MultiDcVault.Harness.Timeline;
using MultiDcVault.Harness.Verification;

namespace MultiDcVault.Harness.Scenarios.RollingUpgrade;

/// <summary>
/// Changes the Vault image DC by DC with writers and a reader running: the followers first, the leader last
/// (<see cref="UpgradeOrder"/>, asked again after each DC), each step waiting until autopilot is healthy and the node
/// is a voter again on the new version (<see cref="UpgradeProgressCheck"/>).
/// <para>Asserts: every step within the recovery bound; no acknowledged write lost; at most one leader change per
/// upgraded leader (the followers' restarts must not move leadership); every node reports the new version.</para>
/// </summary>
internal sealed class RollingUpgradeScenario : IScenario
{
    public const string ScenarioName = "rolling-upgrade";

    public string Name => ScenarioName;

    public string Summary => "change the Vault image DC by DC (followers first, the leader last) with writers running; no write lost, one leader change, every node on the new version";

    public IReadOnlyList<string> Variants { get; } = [];

    public async Task<ScenarioResult> RunAsync(ScenarioContext context, ScenarioRequest request, string variant, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        var upgrades = context.Upgrades ?? throw new InvalidOperationException("This environment cannot change its Vault image.");
        var current = await upgrades.CurrentImageAsync(cancellationToken);
        var target = SupportedVaultVersions.UpgradeTarget(current, request.ToVaultImage);
        var version = SupportedVaultVersions.VersionTextOf(target);
        await upgrades.PrepareAsync(target, progress, cancellationToken);
        await using var session = await ScenarioSession.StartAsync(context, Name, variant, workload: true, reader: true, progress, cancellationToken);
        progress?.Report($"Upgrading {string.Join(", ", context.Datacenters)} from {current} to {target}.");

        var upgraded = new List<string>();
        var upgradedLeaders = 0;
        while (true)
        {
            var state = (await context.Raft.ObserveAsync(cancellationToken)).Autopilot;
            var leader = state?.Leader ?? session.Leader;
            var remaining = UpgradeOrder.Remaining(context.Datacenters, leader, upgraded);
            if (remaining.Count == 0)
            {
                break;
            }

            var dc = remaining[0];
            upgradedLeaders += dc == leader ? 1 : 0;
            progress?.Report($"Upgrading {dc}{(dc == leader ? " (the leader)" : string.Empty)} to {target}.");
            var start = context.Time.GetUtcNow();
            try
            {
                await upgrades.RollOutAsync(dc, target, progress, cancellationToken);
            }
            catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
            {
                session.Window($"upgrade({dc})", [dc], start, context.Time.GetUtcNow());
                session.Problems.Add($"Upgrading {dc} failed: {ex.Message}");
                break;
            }

            upgraded.Add(dc);
            session.Window($"upgrade({dc})", [dc], start, context.Time.GetUtcNow(), $"Vault CR spec.image -> {target}");
            if (!await WaitForRejoinAsync(context, session, dc, version, cancellationToken))
            {
                break;
            }

            session.Measurements.Add($"{dc} upgraded and a voter again {RunReport.Format(context.Time.GetUtcNow() - start)} after its image changed");
        }

        var last = await context.Raft.ObserveAsync(cancellationToken);
        session.Snapshot(last, "after the upgrade");
        if (upgraded.Count == context.Datacenters.Count)
        {
            session.Problems.AddRange(UpgradeProgressCheck.AllUpgraded(last.Autopilot, context.Datacenters, version).Select(p => "After the upgrade: " + p));
        }

        await Task.Delay(context.Timing.WritesAfterRecovery, context.Time, cancellationToken);
        var result = await session.FinishAsync(null, cancellationToken);
        var changes = result.Timeline is null ? 0 : LeaderChanges(result.Timeline);
        var measurements = result.Measurements.Append($"leader changes: {changes} (at most {upgradedLeaders}, one per upgraded leader)").ToList();
        var problems = result.Problems.ToList();
        if (changes > upgradedLeaders)
        {
            problems.Add($"Leadership moved {changes} times, more than once per upgraded leader ({upgradedLeaders}): a follower's restart moved it.");
        }

        return result with { Problems = problems, Measurements = measurements };
    }

    /// <summary>
    /// How often the leader changed over the timeline's rounds. Rounds without a leader are skipped, and a leader seen in
    /// a single round between others is not a change: while the old active steps down (SIGTERM, LeadershipTransfer) and
    /// the new one takes over, both can answer standby=false in one round and either can time out in the next, so one
    /// round proves no handover (hashicorp/vault physical/raft/raft.go RaftLock.Unlock).
    /// </summary>
    internal static int LeaderChanges(RunTimeline timeline)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        var rounds = timeline.Roles.GroupBy(r => r.At).OrderBy(g => g.Key)
            .Select(g => g.Where(r => r.Role == NodeRole.Leader).Select(r => r.Datacenter).ToList())
            .Where(leaders => leaders.Count == 1)
            .Select(leaders => leaders[0])
            .ToList();
        var runs = new List<(string Leader, int Rounds)>();
        foreach (var leader in rounds)
        {
            if (runs.Count > 0 && runs[^1].Leader == leader)
            {
                runs[^1] = (leader, runs[^1].Rounds + 1);
            }
            else
            {
                runs.Add((leader, 1));
            }
        }

        var held = runs.Where((run, i) => run.Rounds >= 2 || i == 0 || i == runs.Count - 1).Select(run => run.Leader).ToList();
        return held.Zip(held.Skip(1)).Count(pair => pair.First != pair.Second);
    }

    private static async Task<bool> WaitForRejoinAsync(ScenarioContext context, ScenarioSession session, string dc, string version, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> last = [];
        var outcome = await Poll.RunAsync(
            async ct => last = UpgradeProgressCheck.NodeRejoined((await context.Raft.ObserveAsync(ct)).Autopilot, dc, version),
            problems => problems.Count == 0,
            PollSchedule.For(context.Timing.RecoveryBound, context.Timing.PollInterval),
            context.Time,
            cancellationToken);
        if (!outcome.Done)
        {
            session.Problems.Add($"{dc} was not a healthy voter on {version} within {RunReport.Format(context.Timing.RecoveryBound)} of its upgrade: {string.Join("; ", last)}");
        }

        return outcome.Done;
    }
}
