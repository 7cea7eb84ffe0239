namespace MultiDcVault.Harness.Infrastructure.Kubernetes;

internal sealed record KubectlOptions
{
    /// <summary>The kubectl executable (resolved by the process runner: tool directory, then PATH).</summary>
    public string Executable { get; init; } = "kubectl";

    /// <summary>Process timeout of one ordinary kubectl call.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromMinutes(2);
}
