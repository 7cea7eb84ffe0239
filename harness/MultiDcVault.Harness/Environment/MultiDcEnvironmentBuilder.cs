using Microsoft.Extensions.Logging;
using MultiDcVault.Harness.Configuration;

namespace MultiDcVault.Harness.Environment;

/// <summary>
/// Builds a multi-DC Vault environment for a test project, in the style of Testcontainers' builders: each
/// <c>With…</c> call returns a new builder and <see cref="Build"/> checks every setting at once.
/// <code>
/// await using var environment = new MultiDcEnvironmentBuilder()
///     .WithClusters("eu", "us", "ap")
///     .WithVaultImage("hashicorp/vault:1.21.1")
///     .Build();
/// var handle = await environment.UpAsync(progress: null, cancellationToken);
/// </code>
/// Nothing is contacted until <see cref="IMultiDcEnvironment.UpAsync"/>. Unset settings keep the pinned defaults of
/// <see cref="MultiDcOptions"/>; <see cref="WithSettingsFromEnvironment"/> also reads the <c>MULTIDC_*</c> variables,
/// and a value set in code wins over a variable.
/// </summary>
public sealed class MultiDcEnvironmentBuilder
{
    private readonly MultiDcOptionsOverrides _overrides;
    private readonly Func<string, string?> _readVariable;
    private readonly EnvironmentServices _services;

    /// <summary>A builder with every setting at its default and no <c>MULTIDC_*</c> variable read.</summary>
    public MultiDcEnvironmentBuilder()
        : this(new MultiDcOptionsOverrides(), static _ => null, new EnvironmentServices())
    {
    }

    private MultiDcEnvironmentBuilder(MultiDcOptionsOverrides overrides, Func<string, string?> readVariable, EnvironmentServices services)
    {
        _overrides = overrides;
        _readVariable = readVariable;
        _services = services;
    }

    /// <summary>Reads the <c>MULTIDC_*</c> variables of this process for every setting not set in code.</summary>
    public MultiDcEnvironmentBuilder WithSettingsFromEnvironment() => WithSettingsFrom(System.Environment.GetEnvironmentVariable);

    /// <summary>Reads <c>MULTIDC_*</c> settings from <paramref name="readVariable"/> for every setting not set in code.</summary>
    /// <param name="readVariable">Returns a variable's value, or null when it is not set.</param>
    public MultiDcEnvironmentBuilder WithSettingsFrom(Func<string, string?> readVariable)
    {
        ArgumentNullException.ThrowIfNull(readVariable);
        return new(_overrides, readVariable, _services);
    }

    /// <summary>The datacenters' names (an odd count of at least 3 DNS-1123 labels); the first is the Raft bootstrap leader.</summary>
    public MultiDcEnvironmentBuilder WithClusters(params IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        return With(_overrides with { ClusterNames = [.. names], ClusterCount = null });
    }

    /// <summary>The session label on every Docker resource; it also names the default work directory.</summary>
    public MultiDcEnvironmentBuilder WithSession(string session) => With(_overrides with { Session = session });

    /// <summary>The shared Docker network, and its subnet when the harness creates it (null lets Docker choose).</summary>
    public MultiDcEnvironmentBuilder WithNetwork(string name, string? subnet = null) =>
        With(_overrides with { NetworkName = name, NetworkSubnet = subnet });

    /// <summary>The image of the in-cluster Vaults, and of the central Vault unless <see cref="WithCentralVaultImage"/> names another.</summary>
    public MultiDcEnvironmentBuilder WithVaultImage(string image) => With(_overrides with { VaultImage = image });

    /// <summary>The image of the central Vault (the transit KMS).</summary>
    public MultiDcEnvironmentBuilder WithCentralVaultImage(string image) => With(_overrides with { CentralVaultImage = image });

    /// <summary>The kind node image of every cluster.</summary>
    public MultiDcEnvironmentBuilder WithKindNodeImage(string image) => With(_overrides with { KindNodeImage = image });

    /// <summary>A locally built vault-operator image, loaded into every kind cluster instead of pulled.</summary>
    public MultiDcEnvironmentBuilder WithOperatorImage(string image) => With(_overrides with { OperatorImage = image });

    /// <summary>How the in-cluster Vaults unseal: through the central Vault's transit key, or with keys kept in its KV.</summary>
    public MultiDcEnvironmentBuilder WithUnsealMode(UnsealMode mode) => With(_overrides with { UnsealMode = mode });

    /// <summary>The namespace of the Vault CRs, their RBAC and the operator.</summary>
    public MultiDcEnvironmentBuilder WithNamespace(string name) => With(_overrides with { Namespace = name });

    /// <summary>Where kubeconfigs, rendered manifests, reports and diagnostics bundles go.</summary>
    public MultiDcEnvironmentBuilder WithWorkDirectory(string path) => With(_overrides with { WorkDirectory = path });

    /// <summary>Raft's performance_multiplier (1 to 10): lower notices a lost leader sooner and elects more often on a busy machine.</summary>
    public MultiDcEnvironmentBuilder WithRaftPerformanceMultiplier(int multiplier) =>
        With(_overrides with { RaftPerformanceMultiplier = multiplier });

    /// <summary>Leaves the environment running when it is disposed, for the next run or for a person to look at.</summary>
    public MultiDcEnvironmentBuilder WithKeep(bool keep = true) => With(_overrides with { Keep = keep });

    /// <summary>Reuses an environment of the same session that is already up instead of creating one.</summary>
    public MultiDcEnvironmentBuilder WithReuse(bool reuse = true) => With(_overrides with { Reuse = reuse });

    /// <summary>How long <see cref="IMultiDcEnvironment.UpAsync"/> may take, in whole minutes.</summary>
    public MultiDcEnvironmentBuilder WithUpTimeout(TimeSpan timeout) =>
        With(_overrides with { UpTimeoutMinutes = (int)Math.Ceiling(timeout.TotalMinutes) });

    /// <summary>Where the environment's log lines go (the default discards them).</summary>
    public MultiDcEnvironmentBuilder WithLogger(ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        return new(_overrides, _readVariable, _services with { LoggerFactory = loggerFactory });
    }

    /// <summary>The clock of every wait, drill and report (the default is the system clock).</summary>
    public MultiDcEnvironmentBuilder WithTimeProvider(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        return new(_overrides, _readVariable, _services with { TimeProvider = timeProvider });
    }

    /// <summary>A directory searched for kind, kubectl and helm before PATH.</summary>
    public MultiDcEnvironmentBuilder WithToolDirectory(string path) => new(_overrides, _readVariable, _services with { ToolDirectory = path });

    /// <summary>The settings <see cref="Build"/> would use; throws <see cref="OptionsValidationException"/> naming every invalid one.</summary>
    public MultiDcOptions BuildOptions() => MultiDcOptionsBinder.Bind(_readVariable, _overrides);

    /// <summary>
    /// The environment, not yet started. Throws <see cref="OptionsValidationException"/> naming every invalid setting
    /// (and where it came from: the code or a <c>MULTIDC_*</c> variable).
    /// </summary>
    public IMultiDcEnvironment Build() => MultiDcEnvironmentFactory.Create(BuildOptions(), _services);

    private MultiDcEnvironmentBuilder With(MultiDcOptionsOverrides overrides) => new(overrides, _readVariable, _services);
}
