using System.Text.Json.Serialization;
using System.Text.Json;
using MultiDcVault.Harness.Configuration;
using MultiDcVault.Harness.Planning.Manifests;

namespace MultiDcVault.Harness.Planning;

/// <summary>
/// Renders every manifest of a plan and writes them with <c>plan.json</c> into a directory:
/// <c>DIR/plan.json</c> and <c>DIR/&lt;cluster&gt;/&lt;manifest&gt;.yaml</c>.
/// Everything is rendered in memory first, so a rendering error writes nothing.
/// </summary>
internal sealed class PlanWriter(ManifestRenderer renderer)
{
    public const string PlanFileName = "plan.json";

    /// <summary>How the output directory is named in messages (the CLI's option).</summary>
    public const string OutputOption = "--out";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public PlanWriter()
        : this(new ManifestRenderer())
    {
    }

    /// <summary>Renders and writes; returns the document that went into plan.json.</summary>
    public async Task<PlanDocument> WriteAsync(EnvironmentPlan plan, RuntimeValues values, string directory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(directory);

        var rendered = plan.Clusters
            .Select(cluster => (cluster, manifests: renderer.RenderCluster(plan, cluster, values)))
            .ToList();
        var document = PlanDocument.From(plan, rendered.ToDictionary(
            r => r.cluster.Name,
            r => (IReadOnlyList<string>)[.. r.manifests.Select(m => $"{r.cluster.Name}/{m.FileName}")]));

        directory = PlanOutputDirectory.Prepare(OutputOption, directory, [PlanFileName, .. rendered.Select(r => r.cluster.Name)]);
        foreach (var (cluster, manifests) in rendered)
        {
            var clusterDirectory = Path.Combine(directory, cluster.Name);
            Directory.CreateDirectory(clusterDirectory);
            foreach (var manifest in manifests)
            {
                await File.WriteAllTextAsync(Path.Combine(clusterDirectory, manifest.FileName), manifest.Content, cancellationToken);
            }
        }

        await File.WriteAllTextAsync(Path.Combine(directory, PlanFileName), document.ToJson(), cancellationToken);
        return document;
    }

    public static PlanDocument Read(string planJson) =>
        JsonSerializer.Deserialize<PlanDocument>(planJson, Json)
        ?? throw new InvalidDataException("plan.json is empty.");

    internal static string Serialize(PlanDocument document) => JsonSerializer.Serialize(document, Json);
}

/// <summary>The content of plan.json: what <c>multidc up</c> would create, for people and scripts.</summary>
/// <param name="Network">The shared Docker network; null for existing clusters, which have none.</param>
/// <param name="PoolSize">MetalLB addresses per cluster; null for existing clusters.</param>
internal sealed record PlanDocument(
    string Session,
    PlanNetwork? Network,
    PlanImages Images,
    string UnsealMode,
    int? PoolSize,
    IReadOnlyList<PlanCluster> Clusters)
{
    /// <summary>kind or existing.</summary>
    public string Provider { get; init; } = "kind";

    /// <summary>The Kubernetes namespace of the Vault CRs, RBAC and operator.</summary>
    public string? Namespace { get; init; }

    /// <summary>Existing clusters: the central Vault that already runs (never its token).</summary>
    public string? CentralVaultAddress { get; init; }

    /// <summary>Existing clusters: whether an operator is already installed (so none is).</summary>
    public bool? OperatorInstalled { get; init; }

    public static PlanDocument From(EnvironmentPlan plan, IReadOnlyDictionary<string, IReadOnlyList<string>> manifestsByCluster)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(manifestsByCluster);
        var options = plan.Options;
        var existing = options.Provider == ClusterProvider.Existing;
        return new PlanDocument(
            options.Session,
            existing ? null : new PlanNetwork(plan.Network.Name, plan.Network.Subnets, plan.Network.UsedAddresses, plan.CentralVaultAddress),
            new PlanImages(
                existing ? null : options.KindNodeImage,
                options.VaultImage,
                existing ? null : options.EffectiveCentralVaultImage,
                options.OperatorImage,
                options.BankVaultsImage,
                options.OperatorChart,
                options.OperatorChartVersion,
                existing ? null : options.MetalLbVersion),
            options.UnsealMode.ToString().ToLowerInvariant(),
            existing ? null : options.PoolSize,
            [.. plan.Clusters.Select(c =>
            {
                var target = existing ? options.ExistingDatacenters[c.Index] : null;
                return new PlanCluster(
                    c.Name,
                    c.Role == ClusterRole.Leader ? "leader" : "follower",
                    target?.Context ?? c.Identity.KindContext,
                    c.Identity.VaultName,
                    c.AddressPools,
                    manifestsByCluster.TryGetValue(c.Name, out var files) ? files : [])
                {
                    Kubeconfig = target?.KubeconfigPath,
                    ServiceAnnotations = existing ? options.ServiceAnnotations.GetValueOrDefault(c.Name) ?? new Dictionary<string, string>() : null,
                };
            })])
        {
            Provider = options.Provider.ToString().ToLowerInvariant(),
            Namespace = options.Namespace,
            CentralVaultAddress = existing ? options.CentralVaultAddress : null,
            OperatorInstalled = existing ? options.OperatorInstalled : null,
        };
    }

    public string ToJson() => PlanWriter.Serialize(this);
}

/// <param name="CentralVaultAddress">The central Vault's fixed IPv4 (below the pools); null lets Docker pick one.</param>
internal sealed record PlanNetwork(string Name, IReadOnlyList<IpamSubnet> Subnets, IReadOnlyList<string> UsedAddresses, string? CentralVaultAddress);

/// <param name="KindNode">Null for existing clusters (no kind nodes), as are <paramref name="CentralVault"/> (an existing one) and <paramref name="MetalLbVersion"/>.</param>
internal sealed record PlanImages(
    string? KindNode,
    string Vault,
    string? CentralVault,
    string Operator,
    string BankVaults,
    string OperatorChart,
    string OperatorChartVersion,
    string? MetalLbVersion);

/// <param name="AddressPools">Exactly the strings placed in the MetalLB IPAddressPool spec.addresses.</param>
/// <param name="Manifests">Paths relative to the plan directory, in apply order.</param>
internal sealed record PlanCluster(
    string Name,
    string Role,
    string KubeContext,
    string VaultName,
    IReadOnlyList<string> AddressPools,
    IReadOnlyList<string> Manifests)
{
    /// <summary>Existing clusters: the datacenter's kubeconfig file (full path); <see cref="KubeContext"/> is its context.</summary>
    public string? Kubeconfig { get; init; }

    /// <summary>Existing clusters: the annotations the Vault Service carries (from --service-annotations).</summary>
    public IReadOnlyDictionary<string, string>? ServiceAnnotations { get; init; }
}
