namespace MultiDcVault.Harness.Environment.Steps;

public enum PhaseState
{
    Started,
    Succeeded,
    Failed,
    Skipped,
}

/// <summary>Progress of one phase, optionally for one cluster ("kind create" for "secondary").</summary>
public sealed record PhaseEvent(
    string Phase,
    string? Cluster,
    PhaseState State,
    DateTimeOffset At,
    TimeSpan? Duration = null,
    string? Message = null)
{
    public override string ToString() =>
        $"{Phase}{(Cluster is null ? string.Empty : $" [{Cluster}]")} {State.ToString().ToLowerInvariant()}" +
        $"{(Duration is { } d ? $" in {d.TotalSeconds:0.0}s" : string.Empty)}{(Message is null ? string.Empty : $": {Message}")}";
}
