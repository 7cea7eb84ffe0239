namespace MultiDcVault.Harness.Diagnostics;

internal enum CollectionStatus
{
    Collected,
    Failed,
    Skipped,
}

/// <summary>What happened to one collection step of a bundle; <paramref name="Detail"/> is already redacted.</summary>
internal sealed record CollectionOutcome(string Name, CollectionStatus Status, string? Detail, TimeSpan Duration);
