using MultiDcVault.Harness.Health;

namespace MultiDcVault.Harness.Scenarios;

/// <summary>What a scenario runs against: Vault access, the faults, the clock and the timing; the real one comes from a running environment.</summary>
internal sealed class ScenarioContext
{
    public ScenarioContext(IVaultNodeProbe probe, IKvCounterStore store, IScenarioFaults faults, TimeProvider time, ScenarioTiming timing)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(faults);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(timing);
        Probe = probe;
        Store = store;
        Faults = faults;
        Time = time;
        Timing = timing;
        Raft = new RaftObserver(probe, time, timing.PollInterval);
    }

    public IVaultNodeProbe Probe { get; }

    public IKvCounterStore Store { get; }

    public IScenarioFaults Faults { get; }

    public TimeProvider Time { get; }

    public ScenarioTiming Timing { get; }

    public RaftObserver Raft { get; }

    /// <summary>The Vault image changes of the rolling upgrade; null where the environment cannot change images.</summary>
    public IScenarioUpgrades? Upgrades { get; init; }

    public IReadOnlyList<string> Datacenters => [.. Probe.Datacenters.Select(d => d.Name)];
}
