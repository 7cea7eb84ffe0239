namespace MultiDcVault.Harness.Drills;

/// <summary>Where one drill writer sends its writes.</summary>
public enum WriteRouting
{
    /// <summary>To the datacenter believed to host the active node; re-located after every write that is not acknowledged.</summary>
    Leader,

    /// <summary>
    /// To one datacenter, starting with a standby, moving on to the next datacenter after a write that is not
    /// acknowledged: a client with a list of endpoints. Standbys forward writes to the active node.
    /// </summary>
    AnyDatacenter,
}

/// <summary>
/// Knobs of a <see cref="FailoverDrill"/>. Defaults suit a real kind environment at any performance_multiplier
/// from 1 to 10: a lost leader is noticed after 1-2 s times the multiplier, far inside <see cref="NewLeaderTimeout"/>.
/// </summary>
public sealed record FailoverDrillOptions
{
    /// <summary>How the leader is taken away; by default its Vault pod is deleted.</summary>
    public FailoverMode Mode { get; init; } = FailoverMode.PodLoss;

    /// <summary>False: leave the fault in place (for people reproducing a bug); the read-back then skips the faulted datacenter.</summary>
    public bool Heal { get; init; } = true;

    /// <summary>One writer per entry, each with its own key and consecutive counters.</summary>
    public IReadOnlyList<WriteRouting> Writers { get; init; } = [WriteRouting.Leader, WriteRouting.AnyDatacenter];

    /// <summary>KV v2 key prefix under the mount; unique per run so earlier runs never explain or hide values.</summary>
    public string? KeyPrefix { get; init; }

    /// <summary>How long the cluster may take to be healthy before the fault.</summary>
    public TimeSpan HealthyTimeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>Writes before the fault, so the history shows the old leader serving.</summary>
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>From the fault to a new confirmed leader and its first acknowledged write.</summary>
    public TimeSpan NewLeaderTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Keep writing through the new leader this long before healing.</summary>
    public TimeSpan WritesAfterFailover { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>From the heal to a healthy cluster with the old node back.</summary>
    public TimeSpan RecoveryTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Keep writing this long after recovery, so writes span the heal.</summary>
    public TimeSpan WritesAfterRecovery { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Healing has its own budget (a cancelled drill must still heal).</summary>
    public TimeSpan HealTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>A write running longer than this is indeterminate.</summary>
    public TimeSpan WriteTimeout { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>Pause between one writer's consecutive writes; zero writes back to back.</summary>
    public TimeSpan DelayBetweenWrites { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How often waits poll sys/leader and autopilot.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Attempts per datacenter for the final read of one key (a node that just recovered may refuse briefly).</summary>
    public int ReadAttempts { get; init; } = 5;

    /// <summary>Checks the options before a drill starts.</summary>
    /// <exception cref="ArgumentException">There is no writer, a timeout is not positive, a wait is negative, or <see cref="ReadAttempts"/> is below 1.</exception>
    public void Validate()
    {
        if (Writers.Count == 0)
        {
            throw new ArgumentException("A failover drill needs at least one writer.");
        }

        TimeSpan[] positive = [HealthyTimeout, NewLeaderTimeout, RecoveryTimeout, HealTimeout, WriteTimeout, PollInterval];
        TimeSpan[] notNegative = [WarmUp, WritesAfterFailover, WritesAfterRecovery, DelayBetweenWrites];
        if (positive.Any(t => t <= TimeSpan.Zero) || notNegative.Any(t => t < TimeSpan.Zero) || ReadAttempts < 1)
        {
            throw new ArgumentException("Failover drill timeouts must be positive, waits not negative, and ReadAttempts at least 1.");
        }
    }
}
