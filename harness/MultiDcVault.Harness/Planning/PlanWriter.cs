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
internal sealed record PlanDocument(
    string Session,
    PlanNetwork Network,
    PlanImages Images,
    string UnsealMode,
    int PoolSize,
    IReadOnlyList<PlanCluster> Clusters)
{
    public static PlanDocument From(EnvironmentPlan plan, IReadOnlyDictionary<string, IReadOnlyList<string>> manifestsByCluster)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(manifestsByCluster);
        var options = plan.Options;
        return new PlanDocument(
            options.Session,
            new PlanNetwork(plan.Network.Name, plan.Network.Subnets, plan.Network.UsedAddresses, plan.CentralVaultAddress),
            new PlanImages(
                options.KindNodeImage,
                options.VaultImage,
                options.EffectiveCentralVaultImage,
                options.OperatorImage,
                options.BankVaultsImage,
                options.OperatorChart,
                options.OperatorChartVersion,
                options.MetalLbVersion),
            options.UnsealMode.ToString().ToLowerInvariant(),
            options.PoolSize,
            [.. plan.Clusters.Select(c => new PlanCluster(
                c.Name,
                c.Role == ClusterRole.Leader ? "leader" : "follower",
                c.Identity.KindContext,
                c.Identity.VaultName,
                c.AddressPools,
                manifestsByCluster.TryGetValue(c.Name, out var files) ? files : []))]);
    }

    public string ToJson() => PlanWriter.Serialize(this);
}

/// <param name="CentralVaultAddress">The central Vault's fixed IPv4 (below the pools); null lets Docker pick one.</param>
internal sealed record PlanNetwork(string Name, IReadOnlyList<IpamSubnet> Subnets, IReadOnlyList<string> UsedAddresses, string? CentralVaultAddress);

internal sealed record PlanImages(
    string KindNode,
    string Vault,
    string CentralVault,
    string Operator,
    string BankVaults,
    string OperatorChart,
    string OperatorChartVersion,
    string MetalLbVersion);

/// <param name="AddressPools">Exactly the strings placed in the MetalLB IPAddressPool spec.addresses.</param>
/// <param name="Manifests">Paths relative to the plan directory, in apply order.</param>
internal sealed record PlanCluster(
    string Name,
    string Role,
    string KubeContext,
    string VaultName,
    IReadOnlyList<string> AddressPools,
    IReadOnlyList<string> Manifests);
