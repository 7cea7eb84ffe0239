namespace MultiDcVault.Harness.Infrastructure.Processes;

/// <summary>Starts long-running CLIs (kubectl port-forward) that live until disposed.</summary>
internal interface IBackgroundProcessLauncher
{
    IBackgroundProcess Start(ProcessSpec spec);
}

/// <summary>A running CLI; disposing it kills its whole process tree.</summary>
internal interface IBackgroundProcess : IAsyncDisposable
{
    /// <summary>The redacted command line.</summary>
    string CommandLine { get; }

    /// <summary>True once both output streams ended (the process is gone).</summary>
    bool HasEnded { get; }

    /// <summary>
    /// Returns the first stdout/stderr line (already seen or still to come) that matches. Throws
    /// <see cref="ProcessFailedException"/> when the process ends first and
    /// <see cref="ProcessTimeoutException"/> when nothing matches within <paramref name="timeout"/>.
    /// </summary>
    Task<string> WaitForOutputLineAsync(Func<string, bool> match, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>The last output lines, redacted, for diagnostics.</summary>
    string RecentOutput();
}
