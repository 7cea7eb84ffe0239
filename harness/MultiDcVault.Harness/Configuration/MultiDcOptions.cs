namespace MultiDcVault.Harness.Configuration;

/// <summary>
/// Every knob of an environment, with the pinned upstream versions as defaults.
/// Bound from MULTIDC_* variables and CLI options by <see cref="MultiDcOptionsBinder"/>,
/// checked by <see cref="MultiDcOptionsValidator"/>.
/// </summary>
public sealed record MultiDcOptions
{
    /// <summary>The clusters made when neither MULTIDC_CLUSTERS nor MULTIDC_CLUSTER_NAMES is set; primary is the bootstrap leader.</summary>
    public static readonly IReadOnlyList<string> DefaultClusterNames = ["primary", "secondary", "tertiary"];

    /// <summary>Odd count >= 3 of unique DNS-1123 labels; the first is the Raft bootstrap leader.</summary>
    public IReadOnlyList<string> ClusterNames { get; init; } = DefaultClusterNames;

    /// <summary>Labels every Docker resource (io.multidc-vault.session) and names the work directory.</summary>
    public string Session { get; init; } = "multidc";

    /// <summary>The shared Docker network all kind nodes and the central Vault attach to.</summary>
    public string NetworkName { get; init; } = "multidc";

    /// <summary>Subnet for the network when the harness creates it (null: let Docker choose).</summary>
    public string? NetworkSubnet { get; init; }

    /// <summary>The default node image of the pinned kind (v0.32.0); the operator's CI tests Kubernetes up to 1.35.</summary>
    public string KindNodeImage { get; init; } = "kindest/node:v1.36.1@sha256:3489c7674813ba5d8b1a9977baea8a6e553784dab7b84759d1014dbd78f7ebd5";

    /// <summary>MetalLB release installed into every cluster (MULTIDC_METALLB_VERSION); only versions whose native manifest SHA-256 the harness pins are accepted.</summary>
    public string MetalLbVersion { get; init; } = "v0.16.1";

    /// <summary>OCI reference of the Bank-Vaults vault-operator Helm chart; set in code only (no variable, no CLI option).</summary>
    public string OperatorChart { get; init; } = "oci://ghcr.io/bank-vaults/helm-charts/vault-operator";

    /// <summary>Version of the vault-operator Helm chart installed into every cluster (MULTIDC_OPERATOR_CHART_VERSION).</summary>
    public string OperatorChartVersion { get; init; } = "1.24.0";

    /// <summary>Operator image; a locally built one (MULTIDC_OPERATOR_IMAGE) is loaded into kind instead of pulled.</summary>
    public string OperatorImage { get; init; } = "ghcr.io/bank-vaults/vault-operator:v1.24.0";

    /// <summary>True when OperatorImage was overridden and must be loaded into every kind cluster.</summary>
    public bool LoadOperatorImage { get; init; }

    /// <summary>The bank-vaults sidecar and configurer image the Vault CRs run (MULTIDC_BANK_VAULTS_IMAGE); loaded into every kind cluster.</summary>
    public string BankVaultsImage { get; init; } = "ghcr.io/bank-vaults/bank-vaults:v1.33.1";

    /// <summary>Image of the in-cluster Vaults and, by default, of the central Vault (see <see cref="SupportedVaultVersions.DefaultImage"/> for why this one).</summary>
    public string VaultImage { get; init; } = SupportedVaultVersions.DefaultImage;

    /// <summary>Image of the central (transit KMS) Vault container (MULTIDC_CENTRAL_VAULT_IMAGE); null runs <see cref="VaultImage"/>.</summary>
    public string? CentralVaultImage { get; init; }

    /// <summary>The image the central Vault really runs: <see cref="CentralVaultImage"/> when set, else <see cref="VaultImage"/>.</summary>
    public string EffectiveCentralVaultImage => CentralVaultImage ?? VaultImage;

    /// <summary>How the in-cluster Vaults unseal (MULTIDC_UNSEAL_MODE); transit auto-unseal through the central Vault by default.</summary>
    public UnsealMode UnsealMode { get; init; } = UnsealMode.Transit;

    /// <summary>Addresses per cluster in each MetalLB pool (per family).</summary>
    public int PoolSize { get; init; } = 8;

    /// <summary>
    /// Raft performance_multiplier. Vault multiplies hashicorp/raft's defaults by it (hashicorp/vault
    /// physical/raft/raft.go applyConfigSettings; hashicorp/raft v1.7.3 config.go DefaultConfig): heartbeat and
    /// election timeouts 1 s, leader lease 0.5 s. At 1 a leader steps down when it has not heard from a quorum for
    /// 0.5 s, and a follower starts an election after 1-2 s of silence: a few hundred milliseconds of CPU or disk
    /// starvation on a runner that also hosts three API servers and their etcds is enough for an election in a
    /// test that never touched the leader. 5 (Vault's own default) gives a 2.5 s lease and 5-10 s timeouts; it
    /// costs failover tests about 5-10 s more to notice a lost leader, well inside their minutes-long budgets.
    /// The run report counts leader changes per test, so this choice can be checked against real runs.
    /// </summary>
    public int RaftPerformanceMultiplier { get; init; } = 5;

    /// <summary>Namespace of the Vault CRs, RBAC and operator.</summary>
    public string Namespace { get; init; } = "default";

    /// <summary>Where kubeconfigs, rendered manifests, reports and diagnostics go.</summary>
    public string WorkDirectory { get; init; } = DefaultWorkDirectory("multidc");

    /// <summary>Leave the environment running after the run (MULTIDC_KEEP=1).</summary>
    public bool Keep { get; init; }

    /// <summary>Reuse an environment that is already up (MULTIDC_REUSE=1).</summary>
    public bool Reuse { get; init; }

    /// <summary>How long bringing the whole environment up may take before up is cancelled and fails (MULTIDC_UP_TIMEOUT_MINUTES, whole minutes, 1 to 1440).</summary>
    public TimeSpan UpTimeout { get; init; } = TimeSpan.FromMinutes(25);

    /// <summary>
    /// Where the clusters come from (MULTIDC_PROVIDER): kind by default, or clusters that already exist. This and the
    /// existing-clusters properties below are internal while only <c>multidc plan</c> serves existing clusters.
    /// </summary>
    internal ClusterProvider Provider { get; init; } = ClusterProvider.Kind;

    /// <summary>Existing clusters: one kubeconfig file per datacenter, in order (the first is the bootstrap leader); each file's current context is used.</summary>
    internal IReadOnlyList<string> Kubeconfigs { get; init; } = [];

    /// <summary>Existing clusters: one kubeconfig file holding every datacenter's context (with <see cref="Contexts"/>).</summary>
    internal string? Kubeconfig { get; init; }

    /// <summary>Existing clusters: the contexts of <see cref="Kubeconfig"/>, one per datacenter, in order.</summary>
    internal IReadOnlyList<string> Contexts { get; init; } = [];

    /// <summary>Existing clusters: a YAML/JSON file of annotations for each datacenter's Vault Service (see the README).</summary>
    internal string? ServiceAnnotationsFile { get; init; }

    /// <summary>The central (transit KMS) Vault's URL as the clusters reach it; required for existing clusters, where it is a Vault that already runs.</summary>
    internal string? CentralVaultAddress { get; init; }

    /// <summary>Existing clusters: the PEM CA file that verifies an https central Vault.</summary>
    internal string? CentralVaultCa { get; init; }

    /// <summary>Existing clusters: a vault-operator already watches the namespace, so none is installed.</summary>
    internal bool OperatorInstalled { get; init; }

    /// <summary>Existing clusters, resolved from the kubeconfigs by the binder: each datacenter's file and context, in <see cref="ClusterNames"/> order.</summary>
    internal IReadOnlyList<ExistingDatacenter> ExistingDatacenters { get; init; } = [];

    /// <summary>Existing clusters, read from <see cref="ServiceAnnotationsFile"/> by the binder: the Vault Service's annotations per datacenter name.</summary>
    internal IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> ServiceAnnotations { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);

    /// <summary>The work directory of a session when none is given: ~/.multidc/&lt;session&gt; under the user's profile.</summary>
    public static string DefaultWorkDirectory(string session) =>
        Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".multidc", session);
}
