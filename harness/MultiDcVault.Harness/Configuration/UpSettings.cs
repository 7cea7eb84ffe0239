namespace MultiDcVault.Harness.Configuration;

/// <summary>
/// Timeouts, poll intervals and parallelism of <c>up</c>. The defaults fit a laptop pulling images;
/// tests shorten them. Every wait runs on the environment's TimeProvider.
/// </summary>
internal sealed record UpSettings
{
    /// <summary>kind's --wait for the control plane.</summary>
    public TimeSpan KindWait { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan MetalLbReadyTimeout { get; init; } = TimeSpan.FromMinutes(4);

    /// <summary>How long pool manifests are retried while MetalLB's webhook is not serving yet.</summary>
    public TimeSpan MetalLbWebhookTimeout { get; init; } = TimeSpan.FromMinutes(2);

    public TimeSpan MetalLbWebhookRetryDelay { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>helm --timeout of the operator install (it waits for the Deployment).</summary>
    public TimeSpan OperatorTimeout { get; init; } = TimeSpan.FromMinutes(6);

    public TimeSpan LoadBalancerTimeout { get; init; } = TimeSpan.FromMinutes(4);

    /// <summary>How long to wait for the operator to put the LB IP into the leader's TLS certificate.</summary>
    public TimeSpan TlsSecretTimeout { get; init; } = TimeSpan.FromMinutes(4);

    /// <summary>How long bank-vaults may take to initialise the leader (root token in the central Vault).</summary>
    public TimeSpan LeaderInitTimeout { get; init; } = TimeSpan.FromMinutes(6);

    /// <summary>How long Raft may take to reach N voters (new nodes are non-voters for server_stabilization_time).</summary>
    public TimeSpan RaftFormationTimeout { get; init; } = TimeSpan.FromMinutes(6);

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Bound on cleanup after a failure or Ctrl-C (it runs without the cancelled token).</summary>
    public TimeSpan TeardownTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How many steps may run at once; 0 means no limit. 1 runs everything in sequence (benchmarks).</summary>
    public int MaxParallelSteps { get; init; }
}
