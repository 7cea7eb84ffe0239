namespace MultiDcVault.Harness.Infrastructure.Kubernetes;

public sealed record KubectlOptions
{
    /// <summary>The kubectl executable (resolved by the process runner: tool directory, then PATH).</summary>
    public string Executable { get; init; } = "kubectl";

    /// <summary>Process timeout of one ordinary kubectl call.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Pause between polls while waiting for pods or a LoadBalancer IP.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Field manager for server-side apply, so re-applies by the harness never conflict with themselves.</summary>
    public string FieldManager { get; init; } = "multidc";
}
