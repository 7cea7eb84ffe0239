namespace MultiDcVault.Harness.Clusters.Kind;

internal sealed record KindCliOptions
{
    /// <summary>The kind executable (resolved by the process runner: tool directory, then PATH).</summary>
    public string Executable { get; init; } = "kind";

    /// <summary>How many times a failed `kind create cluster` is retried, each after deleting the half-made cluster.</summary>
    public int CreateRetries { get; init; } = 1;

    /// <summary>Pause between the cleanup delete and the next create attempt.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Process timeout of one create attempt, on top of its --wait (node image pulls can be slow).</summary>
    public TimeSpan CreateOverhead { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Process timeout of the other kind commands (delete, load, export logs).</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromMinutes(5);
}
