using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace MultiDcVault.Harness.Infrastructure.Kubernetes;

/// <summary>The Bank-Vaults `Vault` custom resource (vault.banzaicloud.com/v1alpha1): its name and status only.</summary>
internal sealed record VaultResource(VaultResourceMetadata Metadata, VaultResourceStatus? Status)
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    /// <summary>Reads the custom object the API returned (it has no typed model in the client).</summary>
    public static VaultResource From(JsonObject resource) =>
        resource.Deserialize<VaultResource>(Web) ?? throw new FormatException("The Vault resource is empty.");
}

internal sealed record VaultResourceMetadata(string Name, string? Namespace = null);

/// <summary>status.nodes (pod names), status.leader and status.conditions[] (type Healthy), as the operator writes them.</summary>
internal sealed record VaultResourceStatus(IReadOnlyList<string>? Nodes, string? Leader, IReadOnlyList<VaultResourceCondition>? Conditions)
{
    [JsonIgnore]
    public bool IsHealthy => Conditions?.Any(c => c.Type == "Healthy" && c.Status == "True") == true;
}

internal sealed record VaultResourceCondition(string Type, string Status, string? Message = null, string? Error = null);
