namespace MultiDcVault.Harness.Scenarios;

/// <summary>
/// The waits and bounds every scenario shares. Defaults suit a real kind environment (performance_multiplier up to
/// 10); the unit tests shrink them on a fake clock.
/// </summary>
internal sealed record ScenarioTiming
{
    /// <summary>How long the cluster may take to be healthy before a scenario starts.</summary>
    public TimeSpan HealthyTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Writes before the first fault, so the history shows the cluster serving.</summary>
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long quorum stays lost, with the writers running. Kept well under the node monitor's grace period (40-50 s):
    /// a kind node paused longer has its Node lease expire on thaw, its pods go NotReady and MetalLB withdraws the LB IP
    /// that is the Vault's Raft address, which would make the recovery about Kubernetes, not Vault.
    /// </summary>
    public TimeSpan QuorumLossHold { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>From a heal (or a restart) to a healthy cluster: a leader, every node a voter, autopilot healthy.</summary>
    public TimeSpan RecoveryBound { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>From a power-on to a healthy cluster: every kind node boots, the API servers, MetalLB and the Vaults come back.</summary>
    public TimeSpan PowerOnBound { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Keep writing this long after recovery, so writes span the heal.</summary>
    public TimeSpan WritesAfterRecovery { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Healing has its own budget (a cancelled scenario must still heal).</summary>
    public TimeSpan HealTimeout { get; init; } = TimeSpan.FromMinutes(3);

    public TimeSpan WriteTimeout { get; init; } = TimeSpan.FromSeconds(8);

    public TimeSpan DelayBetweenWrites { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Between two role samples of the timeline.</summary>
    public TimeSpan SampleInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Guards against writers a scenario forgot to stop; scenarios stop them themselves.</summary>
    public TimeSpan WorkloadLimit { get; init; } = TimeSpan.FromHours(6);

    /// <summary>Attempts per datacenter for the final read of one key.</summary>
    public int ReadAttempts { get; init; } = 5;
}
