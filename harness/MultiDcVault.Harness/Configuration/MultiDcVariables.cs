namespace MultiDcVault.Harness.Configuration;

/// <summary>
/// One setting a person can change: its environment variable, the matching CLI option,
/// the <see cref="MultiDcOptions"/> property it feeds, what it does and its default.
/// </summary>
public sealed record MultiDcVariable(
    string Name,
    string CliOption,
    string Property,
    string Description,
    string Default);

/// <summary>
/// The MULTIDC_* variables as data, so the README table, <c>--help</c> and the binder
/// all read from one list and cannot drift apart.
/// </summary>
public static class MultiDcVariables
{
    private static readonly MultiDcOptions Defaults = new();

    public static MultiDcVariable Clusters { get; } = new(
        "MULTIDC_CLUSTERS", "--clusters", nameof(MultiDcOptions.ClusterNames),
        "Number of datacenters (odd, >= 3); names become primary, secondary, tertiary, dc4, dc5, ...",
        Defaults.ClusterNames.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static MultiDcVariable ClusterNames { get; } = new(
        "MULTIDC_CLUSTER_NAMES", "--cluster-names", nameof(MultiDcOptions.ClusterNames),
        "Comma-separated cluster names (DNS-1123 labels); the first is the Raft bootstrap leader. Wins over MULTIDC_CLUSTERS",
        string.Join(',', Defaults.ClusterNames));

    public static MultiDcVariable Session { get; } = new(
        "MULTIDC_SESSION", "--session", nameof(MultiDcOptions.Session),
        "Session name: labels every Docker resource and names the work directory",
        Defaults.Session);

    public static MultiDcVariable Network { get; } = new(
        "MULTIDC_NETWORK", "--network", nameof(MultiDcOptions.NetworkName),
        "Shared Docker network for all kind nodes and the central Vault",
        Defaults.NetworkName);

    public static MultiDcVariable NetworkSubnet { get; } = new(
        "MULTIDC_NETWORK_SUBNET", "--network-subnet", nameof(MultiDcOptions.NetworkSubnet),
        "Subnet (CIDR) for the network when the harness creates it",
        "(Docker chooses)");

    public static MultiDcVariable KindNodeImage { get; } = new(
        "MULTIDC_KIND_NODE_IMAGE", "--kind-node-image", nameof(MultiDcOptions.KindNodeImage),
        "kind node image (Kubernetes version)",
        Defaults.KindNodeImage);

    public static MultiDcVariable MetalLbVersion { get; } = new(
        "MULTIDC_METALLB_VERSION", "--metallb-version", nameof(MultiDcOptions.MetalLbVersion),
        "MetalLB version (one whose native manifest SHA-256 is pinned: v0.16.0, v0.16.1)",
        Defaults.MetalLbVersion);

    public static MultiDcVariable OperatorChartVersion { get; } = new(
        "MULTIDC_OPERATOR_CHART_VERSION", "--operator-chart-version", nameof(MultiDcOptions.OperatorChartVersion),
        "Bank-Vaults vault-operator Helm chart version",
        Defaults.OperatorChartVersion);

    public static MultiDcVariable OperatorImage { get; } = new(
        "MULTIDC_OPERATOR_IMAGE", "--operator-image", nameof(MultiDcOptions.OperatorImage),
        "vault-operator image; setting it loads a locally built image into every kind cluster",
        Defaults.OperatorImage);

    public static MultiDcVariable BankVaultsImage { get; } = new(
        "MULTIDC_BANK_VAULTS_IMAGE", "--bank-vaults-image", nameof(MultiDcOptions.BankVaultsImage),
        "bank-vaults sidecar/configurer image",
        Defaults.BankVaultsImage);

    public static MultiDcVariable VaultImage { get; } = new(
        "MULTIDC_VAULT_IMAGE", "--vault-image", nameof(MultiDcOptions.VaultImage),
        "Vault image of the in-cluster Vaults (and of the central Vault unless overridden); CI tests " +
        string.Join(", ", SupportedVaultVersions.Versions),
        Defaults.VaultImage);

    public static MultiDcVariable CentralVaultImage { get; } = new(
        "MULTIDC_CENTRAL_VAULT_IMAGE", "--central-vault-image", nameof(MultiDcOptions.CentralVaultImage),
        "Vault image of the central (transit KMS) Vault container",
        "(same as MULTIDC_VAULT_IMAGE)");

    public static MultiDcVariable UnsealMode { get; } = new(
        "MULTIDC_UNSEAL_MODE", "--unseal-mode", nameof(MultiDcOptions.UnsealMode),
        "transit: auto-unseal through the central Vault; kv: Shamir keys kept in the central Vault's KV",
        "transit");

    public static MultiDcVariable PoolSize { get; } = new(
        "MULTIDC_POOL_SIZE", "--pool-size", nameof(MultiDcOptions.PoolSize),
        "Addresses per cluster in each MetalLB pool, per IP family (1..1024)",
        Defaults.PoolSize.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static MultiDcVariable RaftPerformanceMultiplier { get; } = new(
        "MULTIDC_RAFT_PERFORMANCE_MULTIPLIER", "--raft-performance-multiplier", nameof(MultiDcOptions.RaftPerformanceMultiplier),
        "Raft performance_multiplier (1..10): scales Raft's 1 s heartbeat/election timeouts and 0.5 s leader lease; 5 (Vault's default) keeps a busy runner from electing a new leader mid-test, 1 makes failover fast",
        Defaults.RaftPerformanceMultiplier.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static MultiDcVariable Namespace { get; } = new(
        "MULTIDC_NAMESPACE", "--namespace", nameof(MultiDcOptions.Namespace),
        "Kubernetes namespace of the Vault CRs, RBAC and operator",
        Defaults.Namespace);

    public static MultiDcVariable WorkDirectory { get; } = new(
        "MULTIDC_WORK_DIR", "--work-dir", nameof(MultiDcOptions.WorkDirectory),
        "Where kubeconfigs, rendered manifests, reports and diagnostics go",
        "~/.multidc/<session>");

    public static MultiDcVariable Keep { get; } = new(
        "MULTIDC_KEEP", "--keep", nameof(MultiDcOptions.Keep),
        "Leave the environment running after the run (1/true/yes or 0/false/no)",
        "0");

    public static MultiDcVariable Reuse { get; } = new(
        "MULTIDC_REUSE", "--reuse", nameof(MultiDcOptions.Reuse),
        "Reuse an environment that is already up (1/true/yes or 0/false/no)",
        "0");

    public static MultiDcVariable UpTimeoutMinutes { get; } = new(
        "MULTIDC_UP_TIMEOUT_MINUTES", "--up-timeout-minutes", nameof(MultiDcOptions.UpTimeout),
        "Minutes allowed for bringing the whole environment up (1..1440)",
        ((int)Defaults.UpTimeout.TotalMinutes).ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Every variable, in the order a help table should list them.</summary>
    public static IReadOnlyList<MultiDcVariable> All { get; } =
    [
        Clusters, ClusterNames, Session, Network, NetworkSubnet, KindNodeImage, MetalLbVersion,
        OperatorChartVersion, OperatorImage, BankVaultsImage, VaultImage, CentralVaultImage,
        UnsealMode, PoolSize, RaftPerformanceMultiplier, Namespace, WorkDirectory, Keep, Reuse,
        UpTimeoutMinutes,
    ];
}
