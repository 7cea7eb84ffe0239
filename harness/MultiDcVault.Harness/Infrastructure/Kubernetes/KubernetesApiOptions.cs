namespace MultiDcVault.Harness.Infrastructure.Kubernetes;

/// <summary>Settings of <see cref="KubernetesApi"/>.</summary>
internal sealed record KubernetesApiOptions
{
    /// <summary>Field manager for server-side apply, so re-applies by the harness never conflict with themselves.</summary>
    public string FieldManager { get; init; } = "multidc";

    /// <summary>Pause between polls while waiting for a Deployment, pods or a LoadBalancer IP.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a kind may be missing from its group/version's discovery before an apply gives up: CRDs applied a
    /// moment ago are established asynchronously, so their group is served a little later.
    /// </summary>
    public TimeSpan DiscoveryTimeout { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Timeout of one API request (a wait is many requests).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(2);
}
