using System.Net;
using MultiDcVault.Harness.Faults;
using MultiDcVault.Harness.Health;
using MultiDcVault.Harness.Infrastructure.Vault;

namespace MultiDcVault.Harness.Tests.TestSupport;

/// <summary>
/// A Raft cluster of one Vault node per datacenter, in memory: sys/leader, autopilot, Raft configuration and a
/// KV store, with standbys forwarding writes to the active node. Tests (and fake faults) take nodes down and
/// elect leaders by hand. Thread-safe: drill writers call it concurrently.
/// </summary>
internal sealed class FakeVaultCluster : IVaultNodeProbe, IKvCounterStore
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly Dictionary<string, DateTimeOffset> _activeSince = [];
    private readonly HashSet<string> _down = [];
    private readonly Dictionary<string, long> _kv = [];
    private string? _leader;

    public FakeVaultCluster(TimeProvider time, string leader = "primary")
    {
        _time = time;
        Datacenters =
        [
            new DatacenterAddress("primary", "172.18.255.200"),
            new DatacenterAddress("secondary", "172.18.255.208"),
            new DatacenterAddress("tertiary", "172.18.255.216"),
        ];
        Elect(leader);
    }

    public IReadOnlyList<DatacenterAddress> Datacenters { get; }

    /// <summary>Writes the active node in this datacenter acknowledges but never applies (a durability bug to catch).</summary>
    public string? DropWritesServedBy { get; set; }

    public List<(string EnteredThrough, string ServedBy, string Key, long Counter)> AppliedWrites { get; } = [];

    /// <summary>The Vault version each node reports (autopilot and sys/health); none until a test sets it.</summary>
    public Dictionary<string, string> Versions { get; } = [];

    public string? Leader
    {
        get
        {
            lock (_gate)
            {
                return _leader;
            }
        }
    }

    public void Elect(string? datacenter)
    {
        lock (_gate)
        {
            _leader = datacenter;
            if (datacenter is not null)
            {
                _activeSince[datacenter] = _time.GetUtcNow();
            }
        }
    }

    public void TakeDown(string datacenter)
    {
        lock (_gate)
        {
            _down.Add(datacenter);
            if (_leader == datacenter)
            {
                _leader = null;
            }
        }
    }

    public void BringUp(string datacenter)
    {
        lock (_gate)
        {
            _down.Remove(datacenter);
        }
    }

    public Task<VaultLeader> GetLeaderAsync(string datacenter, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ThrowIfDown(datacenter);
            var isSelf = _leader == datacenter;
            return Task.FromResult(new VaultLeader
            {
                HaEnabled = true,
                IsSelf = isSelf,
                ActiveTime = isSelf ? _activeSince[datacenter] : default,
                LeaderAddress = _leader is null ? string.Empty : $"https://{Ip(_leader)}:8200",
                LeaderClusterAddress = _leader is null ? string.Empty : $"https://{Ip(_leader)}:8201",
            });
        }
    }

    public Task<VaultHealth> GetHealthAsync(string datacenter, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ThrowIfDown(datacenter);
            var active = _leader == datacenter;
            return Task.FromResult(new VaultHealth { Initialized = true, Sealed = false, Standby = !active, StatusCode = active ? HttpStatusCode.OK : (HttpStatusCode)429, Version = Versions.GetValueOrDefault(datacenter) });
        }
    }

    public Task<VaultSealStatus> GetSealStatusAsync(string datacenter, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ThrowIfDown(datacenter);
            return Task.FromResult(new VaultSealStatus { Type = "transit", Initialized = true, Sealed = false, RecoverySeal = true, StorageType = "raft" });
        }
    }

    public Task<AutopilotState?> GetAutopilotStateAsync(string datacenter, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ThrowIfNoActive(datacenter);
            var healthy = _down.Count == 0;
            return Task.FromResult<AutopilotState?>(new AutopilotState
            {
                Healthy = healthy,
                FailureTolerance = healthy ? 1 : 0,
                Leader = _leader,
                Voters = [.. Datacenters.Select(d => d.Name)],
                Servers = Datacenters.ToDictionary(d => d.Name, d => new AutopilotServer
                {
                    Id = d.Name,
                    Name = d.Name,
                    Address = $"{d.LoadBalancerIp}:8201",
                    NodeStatus = _down.Contains(d.Name) ? "failed" : "alive",
                    Healthy = !_down.Contains(d.Name),
                    Status = d.Name == _leader ? "leader" : "voter",
                    Version = Versions.GetValueOrDefault(d.Name),
                }),
            });
        }
    }

    public Task<RaftConfiguration> GetRaftConfigurationAsync(string datacenter, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ThrowIfNoActive(datacenter);
            return Task.FromResult(new RaftConfiguration(
                [.. Datacenters.Select(d => new RaftServer { NodeId = d.Name, Address = $"{d.LoadBalancerIp}:8201", Leader = d.Name == _leader, Voter = true })],
                42));
        }
    }

    public Task WriteCounterAsync(string datacenter, string key, long counter, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ThrowIfNoActive(datacenter);
            AppliedWrites.Add((datacenter, _leader!, key, counter));
            if (_leader != DropWritesServedBy)
            {
                _kv[key] = counter;
            }

            return Task.CompletedTask;
        }
    }

    public Task<long?> ReadCounterAsync(string datacenter, string key, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ThrowIfNoActive(datacenter);
            return Task.FromResult(_kv.TryGetValue(key, out var value) ? value : (long?)null);
        }
    }

    private string Ip(string datacenter) => Datacenters.Single(d => d.Name == datacenter).LoadBalancerIp;

    private void ThrowIfDown(string datacenter)
    {
        if (_down.Contains(datacenter))
        {
            throw new TimeoutException($"{datacenter} does not answer");
        }
    }

    /// <summary>A reachable standby without an active node answers 500, as Vault does when forwarding is impossible.</summary>
    private void ThrowIfNoActive(string datacenter)
    {
        ThrowIfDown(datacenter);
        if (_leader is null)
        {
            throw new VaultApiException("POST", new Uri($"https://{Ip(datacenter)}:8200"), "/v1/secret/data/x", HttpStatusCode.InternalServerError, ["local node not active but active cluster node not found"]);
        }
    }
}

/// <summary>A fault whose inject and heal are scripted against a <see cref="FakeVaultCluster"/>; records its calls.</summary>
internal sealed class ScriptedFault(string description, Action inject, Action heal) : IFault
{
    public List<string> Calls { get; } = [];

    public string Description => description;

    public string Mechanism => $"scripted {description}";

    public Task InjectAsync(CancellationToken cancellationToken)
    {
        Calls.Add("inject");
        inject();
        return Task.CompletedTask;
    }

    public Task HealAsync(CancellationToken cancellationToken)
    {
        Calls.Add("heal");
        heal();
        return Task.CompletedTask;
    }
}

/// <summary>A probe whose sys/leader answers come from one delegate per call (for leader-picking rules).</summary>
internal sealed class DelegateVaultNodeProbe(IReadOnlyList<DatacenterAddress> datacenters, Func<string, VaultLeader> leader) : IVaultNodeProbe
{
    public IReadOnlyList<DatacenterAddress> Datacenters { get; } = datacenters;

    public Task<VaultHealth> GetHealthAsync(string datacenter, CancellationToken cancellationToken) => throw new NotSupportedException("not used by these tests");

    public Task<VaultLeader> GetLeaderAsync(string datacenter, CancellationToken cancellationToken) => Task.FromResult(leader(datacenter));

    public Task<VaultSealStatus> GetSealStatusAsync(string datacenter, CancellationToken cancellationToken) => throw new NotSupportedException("not used by these tests");

    public Task<AutopilotState?> GetAutopilotStateAsync(string datacenter, CancellationToken cancellationToken) => throw new NotSupportedException("not used by these tests");

    public Task<RaftConfiguration> GetRaftConfigurationAsync(string datacenter, CancellationToken cancellationToken) => throw new NotSupportedException("not used by these tests");
}

internal static class FakeClock
{
    /// <summary>Runs <paramref name="body"/> off the test thread while moving fake time forward in small steps until it finishes.</summary>
    public static async Task<T> RunAsync<T>(FakeTimeProvider time, Func<Task<T>> body, TimeSpan? step = null)
    {
        var task = Task.Run(body);
        for (var i = 0; !task.IsCompleted; i++)
        {
            if (i > 20_000)
            {
                throw new InvalidOperationException("The code under test did not finish within 20,000 simulated steps; it is probably waiting for something that never happens.");
            }

            await Task.Delay(1);
            time.Advance(step ?? TimeSpan.FromMilliseconds(100));
        }

        return await task;
    }
}
