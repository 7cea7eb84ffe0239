namespace MultiDcVault.Harness.Faults;

/// <summary>
/// An injected fault that is healed when the scope ends, whatever happens in between:
/// <code>
/// await using var scope = await FaultScope.InjectAsync(fault, ct);
/// ... // keep writing, measure
/// </code>
/// Healing runs with its own timeout, not the caller's token: a cancelled test must still
/// leave the environment healed. If injecting fails halfway, the scope heals before rethrowing.
/// </summary>
public sealed class FaultScope : IAsyncDisposable
{
    public static readonly TimeSpan DefaultHealTimeout = TimeSpan.FromMinutes(2);

    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _healTimeout;

    private FaultScope(IFault fault, TimeProvider timeProvider, TimeSpan healTimeout)
    {
        Fault = fault;
        _timeProvider = timeProvider;
        _healTimeout = healTimeout;
    }

    public IFault Fault { get; }

    /// <summary>When injecting started: T0 for recovery-time measurements (the fault may bite before inject returns).</summary>
    public DateTimeOffset InjectStartedAt { get; private set; }

    /// <summary>When InjectAsync returned.</summary>
    public DateTimeOffset InjectedAt { get; private set; }

    public DateTimeOffset? HealedAt { get; private set; }

    public bool IsHealed => HealedAt is not null;

    public static async Task<FaultScope> InjectAsync(
        IFault fault,
        CancellationToken cancellationToken,
        TimeProvider? timeProvider = null,
        TimeSpan? healTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(fault);
        var scope = new FaultScope(fault, timeProvider ?? TimeProvider.System, healTimeout ?? DefaultHealTimeout);
        scope.InjectStartedAt = scope._timeProvider.GetUtcNow();
        try
        {
            await fault.InjectAsync(cancellationToken);
        }
        catch (Exception injectFailure)
        {
            try
            {
                await scope.HealWithOwnTimeoutAsync();
            }
            catch (Exception healFailure)
            {
                throw new AggregateException(
                    $"Injecting {fault.Description} failed and healing it afterwards failed too; the environment may still be faulty.",
                    injectFailure,
                    healFailure);
            }

            throw;
        }

        scope.InjectedAt = scope._timeProvider.GetUtcNow();
        return scope;
    }

    /// <summary>Injects, runs <paramref name="body"/>, heals; a heal failure after a body failure is reported with it, not instead of it.</summary>
    public static async Task RunAsync(
        IFault fault,
        Func<FaultScope, CancellationToken, Task> body,
        CancellationToken cancellationToken,
        TimeProvider? timeProvider = null,
        TimeSpan? healTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        var scope = await InjectAsync(fault, cancellationToken, timeProvider, healTimeout);
        Exception? bodyFailure = null;
        try
        {
            await body(scope, cancellationToken);
        }
        catch (Exception ex)
        {
            bodyFailure = ex;
        }

        try
        {
            await scope.DisposeAsync();
        }
        catch (Exception healFailure) when (bodyFailure is not null)
        {
            throw new AggregateException($"The run under {fault.Description} failed, and healing it failed too.", bodyFailure, healFailure);
        }

        if (bodyFailure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(bodyFailure);
        }
    }

    /// <summary>Heals now (idempotent); the scope's disposal then does nothing.</summary>
    public async Task HealAsync(CancellationToken cancellationToken)
    {
        if (IsHealed)
        {
            return;
        }

        await Fault.HealAsync(cancellationToken);
        HealedAt = _timeProvider.GetUtcNow();
    }

    public async ValueTask DisposeAsync()
    {
        if (!IsHealed)
        {
            await HealWithOwnTimeoutAsync();
        }
    }

    private async Task HealWithOwnTimeoutAsync()
    {
        using var timeout = new CancellationTokenSource(_healTimeout, _timeProvider);
        await HealAsync(timeout.Token);
    }
}
