namespace MultiDcVault.Harness.Infrastructure.Kubernetes;

/// <summary>
/// One API request's token: the caller's, cancelled also when the request timeout (on the given clock) passes.
/// <see cref="TimedOut"/> tells the two apart, so a timeout is reported as one and a caller's cancellation stays one.
/// </summary>
internal sealed class RequestScope : IDisposable
{
    private readonly CancellationTokenSource _timeout;
    private readonly CancellationTokenSource _linked;
    private readonly CancellationToken _caller;

    private RequestScope(TimeSpan timeout, TimeProvider time, CancellationToken caller)
    {
        _caller = caller;
        _timeout = timeout == Timeout.InfiniteTimeSpan ? new CancellationTokenSource() : new CancellationTokenSource(timeout, time);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(caller, _timeout.Token);
    }

    public CancellationToken Token => _linked.Token;

    public bool TimedOut => _timeout.IsCancellationRequested && !_caller.IsCancellationRequested;

    public static RequestScope Start(TimeSpan timeout, TimeProvider time, CancellationToken caller) => new(timeout, time, caller);

    public void Dispose()
    {
        _linked.Dispose();
        _timeout.Dispose();
    }
}
