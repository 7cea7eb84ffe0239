namespace MultiDcVault.Harness.Configuration;

/// <summary>
/// Values given explicitly (CLI options, test code). Null means "not given": the
/// environment variable or the default applies. A non-null value always wins over the environment.
/// </summary>
internal sealed record MultiDcOptionsOverrides
{
    public int? ClusterCount { get; init; }

    public IReadOnlyList<string>? ClusterNames { get; init; }

    public string? Session { get; init; }

    public string? NetworkName { get; init; }

    public string? NetworkSubnet { get; init; }

    public string? KindNodeImage { get; init; }

    public string? MetalLbVersion { get; init; }

    public string? OperatorChartVersion { get; init; }

    /// <summary>Also sets <see cref="MultiDcOptions.LoadOperatorImage"/>.</summary>
    public string? OperatorImage { get; init; }

    public string? BankVaultsImage { get; init; }

    public string? VaultImage { get; init; }

    public string? CentralVaultImage { get; init; }

    public UnsealMode? UnsealMode { get; init; }

    public int? PoolSize { get; init; }

    public int? RaftPerformanceMultiplier { get; init; }

    public string? Namespace { get; init; }

    public string? WorkDirectory { get; init; }

    public bool? Keep { get; init; }

    public bool? Reuse { get; init; }

    public int? UpTimeoutMinutes { get; init; }

    public ClusterProvider? Provider { get; init; }

    public IReadOnlyList<string>? Kubeconfigs { get; init; }

    public string? Kubeconfig { get; init; }

    public IReadOnlyList<string>? Contexts { get; init; }

    public string? ServiceAnnotationsFile { get; init; }

    public string? CentralVaultAddress { get; init; }

    public string? CentralVaultCa { get; init; }

    public bool? OperatorInstalled { get; init; }
}
