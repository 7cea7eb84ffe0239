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
    /// <summary>How long healing may take when the caller gives no heal timeout.</summary>
    public static readonly TimeSpan DefaultHealTimeout = TimeSpan.FromMinutes(2);

    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _healTimeout;

    private FaultScope(IFault fault, TimeProvider timeProvider, TimeSpan healTimeout)
    {
        Fault = fault;
        _timeProvider = timeProvider;
        _healTimeout = healTimeout;
    }

    /// <summary>The fault this scope injected and will heal.</summary>
    public IFault Fault { get; }

    /// <summary>When injecting started: T0 for recovery-time measurements (the fault may bite before inject returns).</summary>
    public DateTimeOffset InjectStartedAt { get; private set; }

    /// <summary>When InjectAsync returned.</summary>
    public DateTimeOffset InjectedAt { get; private set; }

    /// <summary>When the heal finished; null until the fault is healed.</summary>
    public DateTimeOffset? HealedAt { get; private set; }

    /// <summary>True once the heal finished; disposing the scope then does nothing.</summary>
    public bool IsHealed => HealedAt is not null;

    /// <summary>Injects <paramref name="fault"/> and returns the scope that heals it; if injecting fails, heals before rethrowing.</summary>
    /// <param name="timeProvider">Clock for the inject and heal times and the heal timeout; null uses the system clock.</param>
    /// <param name="healTimeout">Budget of a heal run on disposal or after a failed inject; null uses <see cref="DefaultHealTimeout"/>.</param>
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

    /// <summary>Heals the fault unless it is already healed, with the scope's own heal timeout rather than any caller's token.</summary>
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
