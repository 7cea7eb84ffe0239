using MultiDcVault.Harness.Health;
using MultiDcVault.Harness.Infrastructure.Polling;
using MultiDcVault.Harness.Infrastructure.Secrets;
using MultiDcVault.Harness.Infrastructure.Vault;
using MultiDcVault.Harness.Verification;

namespace MultiDcVault.Harness.Timeline;

/// <summary>
/// Samples every datacenter's role in the background (sys/health of each node in parallel, one round every interval,
/// one timestamp per round) and collects fault windows, until stopped; then hands back a <see cref="RunTimeline"/>.
/// Sampling never fails the run: a node that does not answer is a sample with role Unreachable.
/// </summary>
internal sealed class TimelineRecorder : IAsyncDisposable
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(1);

    private readonly IVaultNodeProbe _probe;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _interval;
    private readonly Lock _gate = new();
    private readonly List<RoleSample> _samples = [];
    private readonly List<FaultWindow> _faults = [];
    private DateTimeOffset _start;
    private PeriodicSampler? _sampler;

    private TimelineRecorder(IVaultNodeProbe probe, TimeProvider timeProvider, TimeSpan interval)
    {
        _probe = probe;
        _timeProvider = timeProvider;
        _interval = interval;
    }

    /// <summary>Takes the first round now, then one every <paramref name="interval"/> (default 1 s).</summary>
    public static async Task<TimelineRecorder> StartAsync(
        IVaultNodeProbe probe, TimeProvider? timeProvider, CancellationToken cancellationToken, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        var recorder = new TimelineRecorder(probe, timeProvider ?? TimeProvider.System, interval ?? DefaultInterval);
        recorder._start = recorder._timeProvider.GetUtcNow();
        recorder._sampler = await PeriodicSampler.StartAsync(recorder.SampleAsync, recorder._interval, recorder._timeProvider, cancellationToken);
        return recorder;
    }

    /// <summary>Adds a fault window (from a fault scope's inject and heal times).</summary>
    public void AddFault(FaultWindow window)
    {
        ArgumentNullException.ThrowIfNull(window);
        lock (_gate)
        {
            _faults.Add(window);
        }
    }

    /// <summary>The samples taken so far (for assertions during a run).</summary>
    public IReadOnlyList<RoleSample> Samples
    {
        get
        {
            lock (_gate)
            {
                return [.. _samples];
            }
        }
    }

    /// <summary>Stops sampling, takes a last round, and returns the timeline with <paramref name="writes"/> as its marks.</summary>
    public async Task<RunTimeline> StopAsync(IReadOnlyList<WriteRecord> writes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writes);
        if (_sampler is not null)
        {
            await _sampler.StopAsync();
        }

        await SampleAsync(cancellationToken);
        lock (_gate)
        {
            var end = _samples.Count == 0 ? _start : _samples.Max(s => s.At);
            return new RunTimeline([.. _probe.Datacenters.Select(d => d.Name)], _start, end, [.. _samples], [.. _faults], writes);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_sampler is not null)
        {
            await _sampler.DisposeAsync();
        }
    }

    /// <summary>Pure: the role sys/health reports (null: no answer).</summary>
    internal static NodeRole RoleOf(VaultHealth? health) => health switch
    {
        null => NodeRole.Unreachable,
        { Initialized: false } or { Sealed: true } => NodeRole.Sealed,
        { Standby: true } => NodeRole.Follower,
        _ => NodeRole.Leader,
    };

    private async Task SampleAsync(CancellationToken cancellationToken)
    {
        var at = _timeProvider.GetUtcNow();
        var round = await Task.WhenAll(_probe.Datacenters.Select(async dc =>
        {
            try
            {
                var health = await _probe.GetHealthAsync(dc.Name, cancellationToken);
                return new RoleSample(at, dc.Name, RoleOf(health), health.Version);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                return new RoleSample(at, dc.Name, NodeRole.Unreachable, Redactor.Default.Redact(ex.Message));
            }
        }));
        lock (_gate)
        {
            _samples.AddRange(round);
        }
    }
}
