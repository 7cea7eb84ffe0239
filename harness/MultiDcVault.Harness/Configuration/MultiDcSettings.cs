using System.Globalization;
using static MultiDcVault.Harness.Configuration.SettingCommands;

namespace MultiDcVault.Harness.Configuration;

/// <summary>
/// The one table of settings. Binding (<see cref="MultiDcOptionsBinder"/>), validation
/// (<see cref="MultiDcOptionsValidator"/>), the CLI's options and help, and the README's configuration table
/// (<see cref="SettingsMarkdown"/>) all read it; defaults come from <see cref="MultiDcOptions"/>'s initializers.
/// </summary>
internal static class MultiDcSettings
{
    private static readonly IReadOnlyList<string> None = [];
    private static readonly IReadOnlyList<string> WhereItRuns = [Up, .. SettingCommands.Attach, Logs, Down];

    public static MultiDcSetting Clusters { get; } = new MultiDcSetting<int>(
        nameof(MultiDcOptions.ClusterNames), "MULTIDC_CLUSTERS", "--clusters",
        "Number of datacenters (odd, >= 3); names become primary, secondary, tertiary, dc4, dc5, ...",
        SettingCommands.Clusters,
        SettingParsers.WholeNumber("3"), o => o.ClusterNames.Count, (o, _) => o,
        o => o.ClusterCount is { } count ? SettingParsers.Number(count) : null,
        render: SettingParsers.Number);

    public static MultiDcSetting ClusterNames { get; } = new MultiDcSetting<IReadOnlyList<string>>(
        nameof(MultiDcOptions.ClusterNames), "MULTIDC_CLUSTER_NAMES", "--cluster-names",
        "Comma-separated cluster names (DNS-1123 labels); the first is the Raft bootstrap leader. Wins over MULTIDC_CLUSTERS",
        SettingCommands.Clusters,
        SettingParsers.Names, o => o.ClusterNames, (o, v) => o with { ClusterNames = v },
        o => o.ClusterNames is null ? null : string.Join(',', o.ClusterNames),
        SettingChecks.ClusterNames, names => string.Join(',', names), aliases: ["--names"]);

    public static MultiDcSetting Session { get; } = Text(
        nameof(MultiDcOptions.Session), "MULTIDC_SESSION", "--session",
        "Session name: labels every Docker resource and names the work directory",
        [.. Build, .. WhereItRuns], o => o.Session, (o, v) => o with { Session = v }, o => o.Session,
        SettingChecks.Label(MultiDcOptionsValidator.MaxSessionLength));

    public static MultiDcSetting Network { get; } = Text(
        nameof(MultiDcOptions.NetworkName), "MULTIDC_NETWORK", "--network",
        "Shared Docker network for all kind nodes and the central Vault",
        [.. NetworkPlan, .. WhereItRuns], o => o.NetworkName, (o, v) => o with { NetworkName = v }, o => o.NetworkName,
        SettingChecks.NetworkName);

    public static MultiDcSetting NetworkSubnet { get; } = new MultiDcSetting<string?>(
        nameof(MultiDcOptions.NetworkSubnet), "MULTIDC_NETWORK_SUBNET", "--network-subnet",
        "Subnet (CIDR) for the network when the harness creates it",
        [Doctor, Up], SettingParsers.OptionalText, o => o.NetworkSubnet, (o, v) => o with { NetworkSubnet = v }, o => o.NetworkSubnet,
        SettingChecks.Subnet, defaultText: "(Docker chooses)");

    public static MultiDcSetting KindNodeImage { get; } = Text(
        nameof(MultiDcOptions.KindNodeImage), "MULTIDC_KIND_NODE_IMAGE", "--kind-node-image",
        "kind node image (Kubernetes version)",
        Build, o => o.KindNodeImage, (o, v) => o with { KindNodeImage = v }, o => o.KindNodeImage, SettingChecks.Image);

    public static MultiDcSetting MetalLbVersion { get; } = Text(
        nameof(MultiDcOptions.MetalLbVersion), "MULTIDC_METALLB_VERSION", "--metallb-version",
        "MetalLB version (one whose native manifest SHA-256 is pinned: v0.16.0, v0.16.1)",
        Build, o => o.MetalLbVersion, (o, v) => o with { MetalLbVersion = v }, o => o.MetalLbVersion, SettingChecks.MetalLbVersion);

    /// <summary>Set in code only: no variable, no CLI option.</summary>
    public static MultiDcSetting OperatorChart { get; } = Text(
        nameof(MultiDcOptions.OperatorChart), null, null,
        "Bank-Vaults vault-operator Helm chart reference",
        None, o => o.OperatorChart, (o, v) => o with { OperatorChart = v }, _ => null, SettingChecks.Token("a chart reference"));

    public static MultiDcSetting OperatorChartVersion { get; } = Text(
        nameof(MultiDcOptions.OperatorChartVersion), "MULTIDC_OPERATOR_CHART_VERSION", "--operator-chart-version",
        "Bank-Vaults vault-operator Helm chart version",
        Build, o => o.OperatorChartVersion, (o, v) => o with { OperatorChartVersion = v }, o => o.OperatorChartVersion,
        SettingChecks.Token("a version"));

    public static MultiDcSetting OperatorImage { get; } = Text(
        nameof(MultiDcOptions.OperatorImage), "MULTIDC_OPERATOR_IMAGE", "--operator-image",
        "vault-operator image; setting it loads a locally built image into every kind cluster",
        Build, o => o.OperatorImage, (o, v) => o with { OperatorImage = v, LoadOperatorImage = true }, o => o.OperatorImage,
        SettingChecks.LoadedImage);

    public static MultiDcSetting BankVaultsImage { get; } = Text(
        nameof(MultiDcOptions.BankVaultsImage), "MULTIDC_BANK_VAULTS_IMAGE", "--bank-vaults-image",
        "bank-vaults sidecar/configurer image",
        Build, o => o.BankVaultsImage, (o, v) => o with { BankVaultsImage = v }, o => o.BankVaultsImage, SettingChecks.LoadedImage);

    public static MultiDcSetting VaultImage { get; } = Text(
        nameof(MultiDcOptions.VaultImage), "MULTIDC_VAULT_IMAGE", "--vault-image",
        "Vault image of the in-cluster Vaults (and of the central Vault unless overridden); CI tests " +
        string.Join(", ", SupportedVaultVersions.Versions),
        Build, o => o.VaultImage, (o, v) => o with { VaultImage = v }, o => o.VaultImage, SettingChecks.LoadedImage);

    public static MultiDcSetting CentralVaultImage { get; } = new MultiDcSetting<string?>(
        nameof(MultiDcOptions.CentralVaultImage), "MULTIDC_CENTRAL_VAULT_IMAGE", "--central-vault-image",
        "Vault image of the central (transit KMS) Vault container",
        Build, SettingParsers.OptionalText, o => o.CentralVaultImage, (o, v) => o with { CentralVaultImage = v }, o => o.CentralVaultImage,
        SettingChecks.OptionalImage, defaultText: "(same as MULTIDC_VAULT_IMAGE)");

    public static MultiDcSetting UnsealMode { get; } = new MultiDcSetting<UnsealMode>(
        nameof(MultiDcOptions.UnsealMode), "MULTIDC_UNSEAL_MODE", "--unseal-mode",
        "transit: auto-unseal through the central Vault; kv: Shamir keys kept in the central Vault's KV",
        Build, SettingParsers.UnsealMode, o => o.UnsealMode, (o, v) => o with { UnsealMode = v },
        o => o.UnsealMode?.ToString().ToLowerInvariant(),
        SettingChecks.UnsealMode, mode => mode.ToString().ToLowerInvariant(), aliases: ["--unseal"]);

    public static MultiDcSetting PoolSize { get; } = Number(
        nameof(MultiDcOptions.PoolSize), "MULTIDC_POOL_SIZE", "--pool-size",
        "Addresses per cluster in each MetalLB pool, per IP family (1..1024)",
        NetworkPlan, o => o.PoolSize, (o, v) => o with { PoolSize = v }, o => o.PoolSize,
        SettingChecks.Range(MultiDcOptionsValidator.MinPoolSize, MultiDcOptionsValidator.MaxPoolSize, "addresses per cluster and IP family"));

    public static MultiDcSetting RaftPerformanceMultiplier { get; } = Number(
        nameof(MultiDcOptions.RaftPerformanceMultiplier), "MULTIDC_RAFT_PERFORMANCE_MULTIPLIER", "--raft-performance-multiplier",
        "Raft performance_multiplier (1..10): scales Raft's 1 s heartbeat/election timeouts and 0.5 s leader lease; 5 (Vault's default) keeps a busy runner from electing a new leader mid-test, 1 makes failover fast",
        Build, o => o.RaftPerformanceMultiplier, (o, v) => o with { RaftPerformanceMultiplier = v }, o => o.RaftPerformanceMultiplier,
        SettingChecks.Range(MultiDcOptionsValidator.MinRaftPerformanceMultiplier, MultiDcOptionsValidator.MaxRaftPerformanceMultiplier, "(Vault's default is 5)"));

    public static MultiDcSetting Namespace { get; } = Text(
        nameof(MultiDcOptions.Namespace), "MULTIDC_NAMESPACE", "--namespace",
        "Kubernetes namespace of the Vault CRs, RBAC and operator",
        [.. Build, .. SettingCommands.Attach, Logs], o => o.Namespace, (o, v) => o with { Namespace = v }, o => o.Namespace,
        SettingChecks.Label(DnsLabel.KubernetesMaxLength), defaultText: "default; existing clusters: multidc-<session>");

    public static MultiDcSetting WorkDirectory { get; } = Text(
        nameof(MultiDcOptions.WorkDirectory), "MULTIDC_WORK_DIR", "--work-dir",
        "Where kubeconfigs, rendered manifests, reports and diagnostics go",
        WhereItRuns, o => o.WorkDirectory, (o, v) => o with { WorkDirectory = v }, o => o.WorkDirectory,
        SettingChecks.Directory, defaultText: "~/.multidc/<session>");

    /// <summary>No CLI option: the CLI always keeps what it brings up (only 'multidc down' removes it); the test fixture reads it.</summary>
    public static MultiDcSetting Keep { get; } = Switch(
        nameof(MultiDcOptions.Keep), "MULTIDC_KEEP", null,
        "Test fixture: leave the environment running after the test run (1/true/yes or 0/false/no); the CLI always keeps it",
        None, o => o.Keep, (o, v) => o with { Keep = v }, o => o.Keep);

    public static MultiDcSetting Reuse { get; } = Switch(
        nameof(MultiDcOptions.Reuse), "MULTIDC_REUSE", "--reuse",
        "Reuse an environment that is already up (1/true/yes or 0/false/no)",
        [Up], o => o.Reuse, (o, v) => o with { Reuse = v }, o => o.Reuse);

    public static MultiDcSetting UpTimeoutMinutes { get; } = new MultiDcSetting<TimeSpan>(
        nameof(MultiDcOptions.UpTimeout), "MULTIDC_UP_TIMEOUT_MINUTES", "--up-timeout-minutes",
        "Minutes allowed for bringing the whole environment up (1..1440)",
        [Up],
        text => SettingParsers.WholeNumber("25")(text) is var (minutes, error) && error is null ? (TimeSpan.FromMinutes(minutes), null) : (default, error),
        o => o.UpTimeout, (o, v) => o with { UpTimeout = v },
        o => o.UpTimeoutMinutes is { } minutes ? SettingParsers.Number(minutes) : null,
        SettingChecks.UpTimeout, span => span.ToString("c", CultureInfo.InvariantCulture),
        defaultText: SettingParsers.Number((int)new MultiDcOptions().UpTimeout.TotalMinutes));

    /// <summary>Every command takes it, so a command that cannot serve existing clusters yet refuses them instead of building kind.</summary>
    public static MultiDcSetting Provider { get; } = new MultiDcSetting<ClusterProvider>(
        nameof(MultiDcOptions.Provider), "MULTIDC_PROVIDER", "--provider",
        "Where the clusters come from: kind (created here) or existing (one kubeconfig or context per datacenter; only 'plan' so far)",
        SettingCommands.All, SettingParsers.Provider, o => o.Provider, (o, v) => o with { Provider = v },
        o => o.Provider?.ToString().ToLowerInvariant(),
        SettingChecks.Provider, provider => provider.ToString().ToLowerInvariant());

    public static MultiDcSetting Kubeconfigs { get; } = new MultiDcSetting<IReadOnlyList<string>>(
        nameof(MultiDcOptions.Kubeconfigs), "MULTIDC_KUBECONFIGS", "--kubeconfigs",
        "Existing clusters: comma-separated kubeconfig files, one per datacenter in order (the first is the Raft bootstrap leader); each file's current context is used and names the datacenter",
        ExistingPlan, SettingParsers.Names, o => o.Kubeconfigs, (o, v) => o with { Kubeconfigs = v },
        o => o.Kubeconfigs is null ? null : string.Join(',', o.Kubeconfigs),
        render: files => string.Join(',', files), defaultText: "(none)");

    public static MultiDcSetting Kubeconfig { get; } = new MultiDcSetting<string?>(
        nameof(MultiDcOptions.Kubeconfig), "MULTIDC_KUBECONFIG", "--kubeconfig",
        "Existing clusters: one kubeconfig file holding every datacenter's context (with --contexts; instead of --kubeconfigs)",
        ExistingPlan, SettingParsers.OptionalText, o => o.Kubeconfig, (o, v) => o with { Kubeconfig = v }, o => o.Kubeconfig,
        defaultText: "(none)");

    public static MultiDcSetting Contexts { get; } = new MultiDcSetting<IReadOnlyList<string>>(
        nameof(MultiDcOptions.Contexts), "MULTIDC_CONTEXTS", "--contexts",
        "Existing clusters: comma-separated contexts of --kubeconfig, one per datacenter in order; they name the datacenters",
        ExistingPlan, SettingParsers.Names, o => o.Contexts, (o, v) => o with { Contexts = v },
        o => o.Contexts is null ? null : string.Join(',', o.Contexts),
        render: contexts => string.Join(',', contexts), defaultText: "(none)");

    public static MultiDcSetting ServiceAnnotations { get; } = new MultiDcSetting<string?>(
        nameof(MultiDcOptions.ServiceAnnotationsFile), "MULTIDC_SERVICE_ANNOTATIONS", "--service-annotations",
        "Existing clusters: YAML/JSON file of annotations for each datacenter's Vault LoadBalancer Service ('all' and 'datacenters.<name>' maps; see Real clusters)",
        ExistingPlan, SettingParsers.OptionalText, o => o.ServiceAnnotationsFile, (o, v) => o with { ServiceAnnotationsFile = v },
        o => o.ServiceAnnotationsFile, defaultText: "(none)");

    public static MultiDcSetting CentralVaultAddress { get; } = new MultiDcSetting<string?>(
        nameof(MultiDcOptions.CentralVaultAddress), "MULTIDC_CENTRAL_VAULT_ADDRESS", "--central-vault-address",
        "Central (transit KMS) Vault URL as the clusters reach it; kind: shown in the plan only (up starts its own), existing: required, a Vault that already runs (its token only from MULTIDC_CENTRAL_VAULT_TOKEN)",
        ExistingPlan, SettingParsers.OptionalText, o => o.CentralVaultAddress, (o, v) => o with { CentralVaultAddress = v },
        o => o.CentralVaultAddress, SettingChecks.CentralVaultAddress, defaultText: "(kind: up decides)");

    public static MultiDcSetting CentralVaultCa { get; } = new MultiDcSetting<string?>(
        nameof(MultiDcOptions.CentralVaultCa), "MULTIDC_CENTRAL_VAULT_CA", "--central-vault-ca",
        "Existing clusters: PEM CA file that verifies an https central Vault",
        ExistingPlan, SettingParsers.OptionalText, o => o.CentralVaultCa, (o, v) => o with { CentralVaultCa = v }, o => o.CentralVaultCa,
        defaultText: "(none)");

    public static MultiDcSetting OperatorInstalled { get; } = Switch(
        nameof(MultiDcOptions.OperatorInstalled), "MULTIDC_OPERATOR_INSTALLED", "--operator-installed",
        "Existing clusters: a vault-operator already watches the namespace, so none is installed (1/true/yes or 0/false/no)",
        ExistingPlan, o => o.OperatorInstalled, (o, v) => o with { OperatorInstalled = v }, o => o.OperatorInstalled);

    /// <summary>Every setting, in the order help, the README and validation list them.</summary>
    public static IReadOnlyList<MultiDcSetting> All { get; } =
    [
        Clusters, ClusterNames, Session, Provider, Network, NetworkSubnet, KindNodeImage, MetalLbVersion, OperatorChart,
        OperatorChartVersion, OperatorImage, BankVaultsImage, VaultImage, CentralVaultImage,
        UnsealMode, PoolSize, RaftPerformanceMultiplier, Namespace, WorkDirectory, Keep, Reuse, UpTimeoutMinutes,
        Kubeconfigs, Kubeconfig, Contexts, ServiceAnnotations, CentralVaultAddress, CentralVaultCa, OperatorInstalled,
    ];

    /// <summary>The settings a person can set: those with a MULTIDC_* variable.</summary>
    public static IReadOnlyList<MultiDcSetting> Variables { get; } = [.. All.Where(s => s.Variable is not null)];

    /// <summary>The settings <paramref name="command"/> takes as CLI options, in table order.</summary>
    public static IReadOnlyList<MultiDcSetting> For(string command) => [.. All.Where(s => s.IsTakenBy(command))];

    private static MultiDcSetting<string> Text(
        string property, string? variable, string? cliOption, string description, IReadOnlyList<string> commands,
        Func<MultiDcOptions, string> get, Func<MultiDcOptions, string, MultiDcOptions> set,
        Func<MultiDcOptionsOverrides, string?> overrideText, Func<string, IEnumerable<string>> check, string? defaultText = null) =>
        new(property, variable, cliOption, description, commands, SettingParsers.Text, get, set, overrideText, check, defaultText: defaultText);

    private static MultiDcSetting<int> Number(
        string property, string variable, string cliOption, string description, IReadOnlyList<string> commands,
        Func<MultiDcOptions, int> get, Func<MultiDcOptions, int, MultiDcOptions> set,
        Func<MultiDcOptionsOverrides, int?> overrideValue, Func<int, IEnumerable<string>> check) =>
        new(property, variable, cliOption, description, commands,
            SettingParsers.WholeNumber(SettingParsers.Number(get(new MultiDcOptions()))), get, set,
            o => overrideValue(o) is { } value ? SettingParsers.Number(value) : null, check, SettingParsers.Number);

    private static MultiDcSetting<bool> Switch(
        string property, string variable, string? cliOption, string description, IReadOnlyList<string> commands,
        Func<MultiDcOptions, bool> get, Func<MultiDcOptions, bool, MultiDcOptions> set, Func<MultiDcOptionsOverrides, bool?> overrideValue) =>
        new(property, variable, cliOption, description, commands, SettingParsers.Switch, get, set,
            o => overrideValue(o) is { } value ? (value ? "true" : "false") : null,
            render: value => value ? "1" : "0", isSwitch: true);
}
