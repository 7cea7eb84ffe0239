namespace MultiDcVault.Harness.Components.Vault;

/// <summary>How a <see cref="ResilientPortForward"/> paces its restarts: doubling delays, capped, retried until disposed.</summary>
internal sealed record PortForwardRestartPolicy
{
    /// <summary>The wait before the first restart after a forward broke.</summary>
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest wait between two restart attempts.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A forward that ran at least this long before breaking starts again from <see cref="InitialDelay"/>.</summary>
    public TimeSpan StableAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a running kubectl is looked at (its output is awaited for at most this long at a time).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The wait before the restart attempt that follows <paramref name="failures"/> consecutive failures.</summary>
    public TimeSpan DelayBefore(int failures)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(failures);
        var delay = InitialDelay;
        for (var i = 0; i < failures && delay < MaxDelay; i++)
        {
            delay *= 2;
        }

        return delay < MaxDelay ? delay : MaxDelay;
    }
}
