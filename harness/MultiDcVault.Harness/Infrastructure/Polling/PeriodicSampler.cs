namespace MultiDcVault.Harness.Infrastructure.Polling;

/// <summary>
/// Runs one sample now and then one every interval in the background until stopped: the loop under the drills'
/// leader-change monitor and the timeline recorder. A sample's own failures are the sample's business; only
/// cancellation by <see cref="StopAsync"/> ends the loop.
/// </summary>
internal sealed class PeriodicSampler : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    private PeriodicSampler()
    {
    }

    /// <summary>Takes the first sample with <paramref name="cancellationToken"/>, then starts the background loop.</summary>
    public static async Task<PeriodicSampler> StartAsync(
        Func<CancellationToken, Task> sample, TimeSpan interval, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var sampler = new PeriodicSampler();
        await sample(cancellationToken);
        sampler._loop = Task.Run(() => LoopAsync(sample, interval, timeProvider, sampler._stop.Token), CancellationToken.None);
        return sampler;
    }

    /// <summary>Stops the loop and waits for a sample in flight; repeatable.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
            _loop = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }

    private static async Task LoopAsync(Func<CancellationToken, Task> sample, TimeSpan interval, TimeProvider timeProvider, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, timeProvider, stop);
                await sample(stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
        }
    }
}
