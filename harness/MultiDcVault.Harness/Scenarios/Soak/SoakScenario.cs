using System.Globalization;
using MultiDcVault.Harness.Drills;
using MultiDcVault.Harness.Faults;
using MultiDcVault.Harness.Verification;

namespace MultiDcVault.Harness.Scenarios.Soak;

/// <summary>
/// A seeded random schedule of faults (<see cref="SoakSchedule"/>) with two writers and a reader running throughout.
/// Each episode injects its faults at their planned offsets, heals them, waits for health within the recovery bound
/// and checks the history so far (nothing acknowledged lost, no stale read, no split brain); the end reads every
/// acknowledged write back through every datacenter. The seed is printed first, so a failure replays exactly.
/// </summary>
internal sealed class SoakScenario : IScenario
{
    public const string ScenarioName = "soak";

    public string Name => ScenarioName;

    public string Summary => "a seeded random schedule of overlapping faults for --minutes (default 10) with writers and a reader; replay with --seed";

    public IReadOnlyList<string> Variants { get; } = [];

    /// <summary>A seed for a run without --seed: printed first, so the run can be replayed.</summary>
    public static long NewSeed(TimeProvider time) => time.GetUtcNow().ToUnixTimeMilliseconds() % 1_000_000_000;

    public async Task<ScenarioResult> RunAsync(ScenarioContext context, ScenarioRequest request, string variant, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        var seed = request.Seed ?? NewSeed(context.Time);
        var duration = request.Duration ?? SoakSchedule.DefaultDuration;
        var schedule = SoakSchedule.Create(seed, duration, context.Datacenters);
        progress?.Report(string.Create(CultureInfo.InvariantCulture, $"Soak seed {seed} ({duration.TotalMinutes:0.#} min, {schedule.Count} episodes); replay with --seed {seed}."));
        progress?.Report(SoakSchedule.Describe(schedule));

        await using var session = await ScenarioSession.StartAsync(context, Name, variant, workload: true, reader: true, progress, cancellationToken);
        session.Measurements.Add($"seed {seed}; schedule:\n    " + SoakSchedule.Describe(schedule).Replace("\n", "\n    ", StringComparison.Ordinal));
        foreach (var episode in schedule)
        {
            await RunEpisodeAsync(context, session, episode, progress, cancellationToken);
            if (await session.WaitForRecoveryAsync($"episode {episode.Number}", context.Timing.RecoveryBound, cancellationToken) is null)
            {
                session.Problems.Add($"Stopped after episode {episode.Number}: the cluster did not recover, so later episodes would only pile faults on a sick cluster.");
                break;
            }

            await CheckSoFarAsync(context, session, episode.Number, cancellationToken);
        }

        var result = await session.FinishAsync(null, cancellationToken);
        return result with { Seed = seed };
    }

    private static async Task RunEpisodeAsync(ScenarioContext context, ScenarioSession session, SoakEpisode episode, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var start = context.Time.GetUtcNow();
        var events = episode.Faults
            .SelectMany(f => new[] { (At: f.Start, Inject: true, Fault: f), (At: f.End, Inject: false, Fault: f) })
            .OrderBy(e => e.At).ThenBy(e => e.Inject) // a heal before an inject at the same moment
            .ToList();
        var scopes = new Dictionary<SoakFault, FaultScope>();
        try
        {
            foreach (var (at, inject, fault) in events)
            {
                var wait = start + at - context.Time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, context.Time, cancellationToken);
                }

                if (inject)
                {
                    progress?.Report($"Episode {episode.Number}: injecting {fault.Describe()}.");
                    scopes[fault] = await FaultScope.InjectAsync(Build(context, fault), cancellationToken, context.Time, context.Timing.HealTimeout);
                    if (fault.Datacenter is { } dc && fault.Kind != SoakFaultKind.Latency)
                    {
                        context.Raft.ExpectUnreachable(dc, fault.Describe());
                    }
                }
                else if (scopes.TryGetValue(fault, out var scope))
                {
                    await scope.HealAsync(cancellationToken);
                    progress?.Report($"Episode {episode.Number}: healed {fault.Describe()}.");
                }
            }
        }
        finally
        {
            // Whatever happened, no fault outlives its episode.
            foreach (var scope in scopes.Values)
            {
                await scope.DisposeAsync();
            }

            context.Raft.ClearExpectedUnreachable();
            foreach (var (fault, scope) in scopes)
            {
                session.Fault(scope, fault.Datacenter is { } dc ? [dc] : [], isolates: fault.Kind is SoakFaultKind.DatacenterPause or SoakFaultKind.Partition);
            }
        }
    }

    /// <summary>After a heal: what was acknowledged so far must be readable through the leader, and no read so far stale.</summary>
    private static async Task CheckSoFarAsync(ScenarioContext context, ScenarioSession session, int episode, CancellationToken cancellationToken)
    {
        var writes = session.Workload.WritesSoFar;
        var leader = (await context.Raft.FindLeaderAsync(cancellationToken))?.Datacenter ?? session.Leader;
        var problems = new List<string>();
        await new AcknowledgedReadBack(context.Store, context.Timing.ReadAttempts, context.Timing.PollInterval, context.Time)
            .CheckAsync(writes, [leader], problems, cancellationToken);
        var stale = StaleReadChecker.Check(writes, session.Workload.ReadsSoFar, session.Isolated);
        if (stale.Count > 0)
        {
            problems.Add($"{stale.Count} stale reads; first: {stale[0].Describe()}");
        }

        session.Problems.AddRange(problems.Select(p => $"After episode {episode}: {p}"));
    }

    private static IFault Build(ScenarioContext context, SoakFault fault) => fault.Kind switch
    {
        SoakFaultKind.PodLoss => context.Faults.PodLoss(fault.Datacenter!),
        SoakFaultKind.DatacenterPause => context.Faults.Outage(fault.Datacenter!),
        SoakFaultKind.Partition => context.Faults.Partition(fault.Datacenter!),
        SoakFaultKind.Latency => context.Faults.Latency(fault.Delay!.Value, fault.Delay.Value / 10),
        _ => context.Faults.KmsOutage(),
    };
}
