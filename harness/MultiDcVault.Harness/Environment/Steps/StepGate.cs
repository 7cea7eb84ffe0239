namespace MultiDcVault.Harness.Environment.Steps;

/// <summary>
/// Limits how many leaf steps run at once (unlimited by default). A step holds a slot only while it
/// runs, never while it waits for another step, so a limit of 1 serialises the run without deadlock.
/// </summary>
internal sealed class StepGate : IDisposable
{
    private readonly SemaphoreSlim? _slots;

    public StepGate(int maxParallelSteps)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxParallelSteps);
        _slots = maxParallelSteps == 0 ? null : new SemaphoreSlim(maxParallelSteps, maxParallelSteps);
    }

    public async Task<T> RunAsync<T>(Func<Task<T>> step, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        if (_slots is null)
        {
            return await step();
        }

        await _slots.WaitAsync(cancellationToken);
        try
        {
            return await step();
        }
        finally
        {
            _slots.Release();
        }
    }

    public Task RunAsync(Func<Task> step, CancellationToken cancellationToken) =>
        RunAsync<bool>(
            async () =>
            {
                await step();
                return true;
            },
            cancellationToken);

    public void Dispose() => _slots?.Dispose();
}
