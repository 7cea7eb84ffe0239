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
