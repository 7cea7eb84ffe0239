namespace MultiDcVault.Harness.Diagnostics;

/// <summary>How long each diagnostics collection may take and how many run at once.</summary>
internal sealed record DiagnosticsOptions
{
    /// <summary>Upper bound for one ordinary collection (a kubectl call, a Vault API read, the central Vault log).</summary>
    public TimeSpan StepTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>`kind export logs` copies every node's journal and pod logs, which takes longer than a kubectl call.</summary>
    public TimeSpan KindExportTimeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>Upper bound for redacting kind's exported files; on failure the exported directory is deleted, never left unredacted.</summary>
    public TimeSpan RedactionTimeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>Collections running at the same moment across all clusters (the machine is usually busy already).</summary>
    public int MaxParallelism { get; init; } = 4;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(StepTimeout, TimeSpan.Zero, nameof(StepTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(KindExportTimeout, TimeSpan.Zero, nameof(KindExportTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RedactionTimeout, TimeSpan.Zero, nameof(RedactionTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxParallelism, 1, nameof(MaxParallelism));
    }
}
