using MultiDcVault.Harness.Faults;
using MultiDcVault.Harness.Verification;

namespace MultiDcVault.Harness.Scenarios.QuorumLoss;

/// <summary>
/// A majority of the datacenters goes away with the writers running, then comes back. The two followers are taken
/// (the leader stays reachable), so the writers keep reaching a node that must refuse them: the leader of a minority
/// has to step down and commit nothing. Variants: "pause" (docker pause of both follower DCs) and "partition"
/// (iptables on both, which leaves every DC cut off from every other).
/// <para>Asserts: no write acknowledged while quorum was lost (<see cref="QuorumLossCheck"/>); no split brain; after
/// the heal a healthy cluster (a leader, every node a voter, autopilot healthy) within the recovery bound; every
/// acknowledged write readable through every datacenter. Reports the time without a leader.</para>
/// </summary>
internal sealed class QuorumLossScenario : IScenario
{
    public const string ScenarioName = "quorum-loss";

    public string Name => ScenarioName;

    public string Summary => "pause or partition a majority of DCs with writers running; no write may be acknowledged until quorum is back";

    public IReadOnlyList<string> Variants { get; } = ["pause", "partition"];

    public async Task<ScenarioResult> RunAsync(ScenarioContext context, ScenarioRequest request, string variant, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        await using var session = await ScenarioSession.StartAsync(context, Name, variant, workload: true, reader: true, progress, cancellationToken);
        var away = context.Datacenters.Where(dc => dc != session.Leader).ToList();
        var majority = context.Datacenters.Count / 2 + 1;
        if (away.Count < majority)
        {
            throw new InvalidOperationException($"Quorum loss needs a majority ({majority}) of the {context.Datacenters.Count} datacenters besides the leader; there are {away.Count}.");
        }

        IFault fault = new CompositeFault([.. away.Select(dc => variant == "pause" ? context.Faults.Outage(dc) : context.Faults.Partition(dc))]);
        await Task.Delay(context.Timing.WarmUp, context.Time, cancellationToken);
        progress?.Report($"Taking away {string.Join(" and ", away)} ({variant}); {session.Leader} is left alone without quorum.");
        var scope = await FaultScope.InjectAsync(fault, cancellationToken, context.Time, context.Timing.HealTimeout);
        DateTimeOffset lostFrom = scope.InjectedAt, lostUntil;
        try
        {
            foreach (var dc in away)
            {
                context.Raft.ExpectUnreachable(dc, variant == "pause" ? "paused" : "partitioned");
            }

            await Task.Delay(context.Timing.QuorumLossHold, context.Time, cancellationToken);
            var during = await context.Raft.ObserveAsync(cancellationToken);
            session.Snapshot(during, "quorum lost");
            progress?.Report($"Quorum lost for {RunReport.Format(context.Time.GetUtcNow() - lostFrom)}; sys/health says: {during}.");
            lostUntil = context.Time.GetUtcNow();
            if (!request.Heal)
            {
                progress?.Report($"Leaving {fault.Description} in place (--no-heal); undo it with 'multidc heal'.");
                session.Fault(scope, away, isolates: true);
                session.Measurements.Add("read-back skipped: quorum is still lost (--no-heal), so no node can serve reads");
                return await FinishAsync(session, lostFrom, lostUntil, [], cancellationToken);
            }

            await scope.HealAsync(cancellationToken);
            context.Raft.ClearExpectedUnreachable();
        }
        finally
        {
            if (request.Heal)
            {
                await scope.DisposeAsync();
            }
        }

        session.Fault(scope, away, isolates: true);
        progress?.Report($"Healed {fault.Description}; waiting for a leader and a healthy cluster.");
        if (await session.WaitForRecoveryAsync("the heal", context.Timing.RecoveryBound, cancellationToken) is not null)
        {
            await Task.Delay(context.Timing.WritesAfterRecovery, context.Time, cancellationToken);
        }

        return await FinishAsync(session, lostFrom, lostUntil, null, cancellationToken);
    }

    private static async Task<ScenarioResult> FinishAsync(
        ScenarioSession session, DateTimeOffset lostFrom, DateTimeOffset lostUntil, IReadOnlyList<string>? readThrough, CancellationToken cancellationToken)
    {
        var writes = session.Workload.WritesSoFar;
        var without = QuorumLossCheck.AcknowledgedWithoutQuorum(writes, lostFrom, lostUntil);
        var (failed, indeterminate, _) = QuorumLossCheck.Outcomes(writes, lostFrom, lostUntil);
        session.Measurements.Add($"while quorum was lost ({RunReport.Format(lostUntil - lostFrom)}): {failed} writes failed, {indeterminate} indeterminate, {without.Count} acknowledged");
        if (without.Count > 0)
        {
            var first = without[0];
            session.Problems.Add(
                $"{without.Count} writes were acknowledged while quorum was lost; first: {first.Key}={first.Counter} by '{first.ServedBy ?? "unknown"}' " +
                $"({first.Start:O} .. {first.End:O}, {first.Detail})");
        }

        return await session.FinishAsync(readThrough, cancellationToken);
    }
}
