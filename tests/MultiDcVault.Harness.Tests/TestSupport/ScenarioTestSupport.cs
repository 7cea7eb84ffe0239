using MultiDcVault.Harness.Faults;
using MultiDcVault.Harness.Scenarios;

namespace MultiDcVault.Harness.Tests.TestSupport;

/// <summary>
/// The scenarios' faults against a <see cref="FakeVaultCluster"/>, with Raft's one rule that matters here: a leader
/// exists only while a majority is reachable (a minority leader steps down; a majority elects one). Set
/// <see cref="LeaderIgnoresQuorum"/> to play a broken cluster whose lone leader keeps acknowledging writes.
/// Records every inject and heal with the fake time, so tests can check what ran when.
/// </summary>
internal sealed class ScriptedScenarioFaults(FakeVaultCluster cluster, TimeProvider time) : IScenarioFaults
{
    private readonly HashSet<string> _away = [];
    private readonly Lock _gate = new();

    public bool LeaderIgnoresQuorum { get; set; }

    public List<(DateTimeOffset At, string Call)> Calls { get; } = [];

    public IFault Partition(string datacenter) => Away($"partition({datacenter})", datacenter);

    public IFault Outage(string datacenter) => Away($"outage({datacenter})", datacenter);

    public IFault PodLoss(string datacenter) => Away($"pod-loss({datacenter})", datacenter);

    public IFault Latency(TimeSpan delay, TimeSpan jitter) => Recorded($"latency({delay.TotalMilliseconds:0} ms)", () => { }, () => { });

    public IFault KmsOutage() => Recorded("kms-outage", () => { }, () => { });

    /// <summary>The power cycle the scenario gets; scripted on the same cluster.</summary>
    public ScriptedPowerCycle Power { get; } = new(cluster, time);

    public List<NodeAddressDrift> Moved { get; } = [];

    public IPowerCycle PowerCycle() => Power;

    public void NodeAddressesMoved(IReadOnlyList<NodeAddressDrift> moved) => Moved.AddRange(moved);

    public Task<bool> VaultRunningAsync(string datacenter, CancellationToken cancellationToken) => Task.FromResult(Power.VaultRunning(datacenter));

    private IFault Away(string description, string datacenter) => Recorded(
        description,
        () =>
        {
            _away.Add(datacenter);
            cluster.TakeDown(datacenter);
            Settle();
        },
        () =>
        {
            _away.Remove(datacenter);
            cluster.BringUp(datacenter);
            Settle();
        });

    private IFault Recorded(string description, Action inject, Action heal) => new ScriptedFault(
        description,
        () =>
        {
            lock (_gate)
            {
                Calls.Add((time.GetUtcNow(), "inject " + description));
                inject();
            }
        },
        () =>
        {
            lock (_gate)
            {
                Calls.Add((time.GetUtcNow(), "heal " + description));
                heal();
            }
        });

    private void Settle()
    {
        var up = cluster.Datacenters.Select(d => d.Name).Where(dc => !_away.Contains(dc)).ToList();
        var quorum = up.Count > cluster.Datacenters.Count / 2;
        if (!quorum && !LeaderIgnoresQuorum)
        {
            cluster.Elect(null);
        }
        else if (quorum && (cluster.Leader is null || _away.Contains(cluster.Leader)))
        {
            cluster.Elect(up[0]);
        }
    }
}

/// <summary>
/// A power cycle on a <see cref="FakeVaultCluster"/>: stop takes every node away and leaves no leader, start brings them
/// back in order (recorded) and elects the first; the address check answers with <see cref="Drifts"/>.
/// </summary>
internal sealed class ScriptedPowerCycle(FakeVaultCluster cluster, TimeProvider time) : IPowerCycle
{
    private readonly HashSet<string> _started = [];
    private bool _centralRunning = true;

    public FakeVaultCluster ClusterProbe => cluster;

    public List<string> Calls { get; } = [];

    public List<AddressDrift> Drifts { get; } = [];

    /// <summary>When false, the Vaults stay down after the start (e.g. they never unseal).</summary>
    public bool ComesBack { get; set; } = true;

    public string Description => "power-cycle";

    public string Mechanism => "scripted stop and start of everything";

    public IReadOnlyList<PowerTarget> Order(PowerCycleVariant variant) => PowerCycleOrder.For(variant, [.. cluster.Datacenters.Select(d => d.Name)]);

    public Task InjectAsync(CancellationToken cancellationToken) => StopAllAsync(cancellationToken);

    public Task HealAsync(CancellationToken cancellationToken)
    {
        Calls.Add("heal");
        return Task.CompletedTask;
    }

    public Task StopAllAsync(CancellationToken cancellationToken)
    {
        Calls.Add("stop all");
        _started.Clear();
        _centralRunning = false;
        foreach (var dc in cluster.Datacenters)
        {
            cluster.TakeDown(dc.Name);
        }

        return Task.CompletedTask;
    }

    public Task StartAsync(PowerCycleVariant variant, CancellationToken cancellationToken) => StartAsync(Order(variant), cancellationToken);

    /// <summary>A started DC's Vault process runs at once, but unseals (answers) only once the central Vault runs too.</summary>
    public async Task StartAsync(IReadOnlyList<PowerTarget> order, CancellationToken cancellationToken)
    {
        foreach (var target in order)
        {
            Calls.Add("start " + target);
            await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken);
            if (target.IsCentralVault)
            {
                _centralRunning = true;
                Calls.Add("vaults running when the central Vault started: " + string.Join(",", _started.Order(StringComparer.Ordinal)));
            }
            else
            {
                _started.Add(target.Datacenter!);
            }

            if (_centralRunning && ComesBack)
            {
                foreach (var dc in _started)
                {
                    cluster.BringUp(dc);
                }

                if (_started.Count == cluster.Datacenters.Count)
                {
                    cluster.Elect(cluster.Datacenters[0].Name);
                }
            }
        }
    }

    /// <summary>False: the nodes start, but their Vault containers never run.</summary>
    public bool VaultsRun { get; set; } = true;

    public bool VaultRunning(string datacenter) => VaultsRun && _started.Contains(datacenter);

    public Task<PowerAddressCheck> CheckAddressesAsync(CancellationToken cancellationToken)
    {
        Calls.Add("check addresses");
        return Task.FromResult(new PowerAddressCheck([.. Drifts], 3, 3));
    }
}

/// <summary>Collects progress lines in order (synchronously, unlike Progress&lt;T&gt;).</summary>
internal sealed class ListProgress(List<string> lines) : IProgress<string>
{
    public void Report(string value)
    {
        lock (lines)
        {
            lines.Add(value);
        }
    }
}
