namespace MultiDcVault.Harness.Diagnostics;

public enum CollectionStatus
{
    Collected,
    Failed,
    Skipped,
}

/// <summary>What happened to one collection step of a bundle; <paramref name="Detail"/> is already redacted.</summary>
public sealed record CollectionOutcome(string Name, CollectionStatus Status, string? Detail, TimeSpan Duration);
