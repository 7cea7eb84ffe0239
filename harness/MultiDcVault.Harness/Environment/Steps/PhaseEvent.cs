namespace MultiDcVault.Harness.Environment.Steps;

/// <summary>Where a phase of up or down is, as a <see cref="PhaseEvent"/> reports it.</summary>
public enum PhaseState
{
    /// <summary>The phase began; with a message, a progress update while it runs.</summary>
    Started,
    /// <summary>The phase finished; the event carries its duration.</summary>
    Succeeded,
    /// <summary>The phase threw; the event carries its duration and the error.</summary>
    Failed,
    /// <summary>The phase was not needed (e.g. the image is already loaded); the message says why.</summary>
    Skipped,
}

/// <summary>Progress of one phase, optionally for one cluster ("kind create" for "secondary").</summary>
/// <param name="Phase">The phase's name, e.g. "kind create".</param>
/// <param name="Cluster">The cluster the phase works on; null for a phase of the whole environment.</param>
/// <param name="At">When the phase reached <paramref name="State"/> (from the harness's TimeProvider).</param>
/// <param name="Duration">How long the phase ran; set only when it succeeded or failed.</param>
/// <param name="Message">Progress text, the reason for a skip, or the (redacted) error; null when there is nothing to add.</param>
public sealed record PhaseEvent(
    string Phase,
    string? Cluster,
    PhaseState State,
    DateTimeOffset At,
    TimeSpan? Duration = null,
    string? Message = null)
{
    /// <summary>One progress line, e.g. "kind create [secondary] succeeded in 42.0s".</summary>
    public override string ToString() =>
        $"{Phase}{(Cluster is null ? string.Empty : $" [{Cluster}]")} {State.ToString().ToLowerInvariant()}" +
        $"{(Duration is { } d ? $" in {d.TotalSeconds:0.0}s" : string.Empty)}{(Message is null ? string.Empty : $": {Message}")}";
}
