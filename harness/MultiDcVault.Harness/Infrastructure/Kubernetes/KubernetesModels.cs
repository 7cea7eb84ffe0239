using System.Text.Json.Serialization;
using System.Text;

namespace MultiDcVault.Harness.Infrastructure.Kubernetes;

// Just the fields the harness reads; System.Text.Json ignores the rest of each object.

public sealed record KubeObjectMeta(
    string Name,
    string? Namespace = null,
    IReadOnlyDictionary<string, string>? Labels = null,
    IReadOnlyDictionary<string, string>? Annotations = null,
    string? Uid = null,
    DateTimeOffset? DeletionTimestamp = null);

public sealed record KubeList<T>(IReadOnlyList<T> Items);

public sealed record KubeService(KubeObjectMeta Metadata, KubeServiceSpec? Spec, KubeServiceStatus? Status)
{
    /// <summary>The first ingress IP MetalLB assigned, or null while pending.</summary>
    [JsonIgnore]
    public string? LoadBalancerIp => Status?.LoadBalancer?.Ingress?.FirstOrDefault(i => !string.IsNullOrEmpty(i.Ip))?.Ip;
}

public sealed record KubeServiceSpec(string? Type, string? ClusterIP, IReadOnlyList<KubeServicePort>? Ports);

public sealed record KubeServicePort(string? Name, int Port, string? Protocol, int? NodePort);

public sealed record KubeServiceStatus(KubeLoadBalancerStatus? LoadBalancer);

public sealed record KubeLoadBalancerStatus(IReadOnlyList<KubeLoadBalancerIngress>? Ingress);

public sealed record KubeLoadBalancerIngress(string? Ip, string? Hostname);

/// <summary>A Secret. Its data never shows up in ToString (records print every member by default).</summary>
public sealed record KubeSecret(KubeObjectMeta Metadata, string? Type, IReadOnlyDictionary<string, string>? Data)
{
    /// <summary>The decoded bytes of data[<paramref name="key"/>].</summary>
    public byte[] GetBytes(string key) =>
        Data is not null && Data.TryGetValue(key, out var base64)
            ? Convert.FromBase64String(base64)
            : throw new KeyNotFoundException($"Secret {Metadata.Namespace}/{Metadata.Name} has no data key '{key}' (keys: {string.Join(", ", Data?.Keys ?? [])}).");

    /// <summary>data[<paramref name="key"/>] decoded as UTF-8 (certificates, tokens).</summary>
    public string GetString(string key) => Encoding.UTF8.GetString(GetBytes(key));

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Metadata = ").Append(Metadata).Append(", Type = ").Append(Type)
            .Append(", Data keys = [").Append(string.Join(", ", Data?.Keys ?? [])).Append(']');
        return true;
    }
}

public sealed record KubePod(KubeObjectMeta Metadata, KubePodStatus? Status)
{
    /// <summary>True when the pod's Ready condition is "True".</summary>
    [JsonIgnore]
    public bool IsReady => Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;
}

public sealed record KubePodStatus(
    string? Phase,
    string? PodIP,
    IReadOnlyList<KubeCondition>? Conditions,
    IReadOnlyList<KubeContainerStatus>? ContainerStatuses);

public sealed record KubeCondition(string Type, string Status, string? Reason = null, string? Message = null);

public sealed record KubeContainerStatus(string Name, bool Ready, int RestartCount);

/// <summary>The Bank-Vaults `Vault` custom resource (vault.banzaicloud.com/v1alpha1), status only.</summary>
public sealed record VaultResource(KubeObjectMeta Metadata, VaultResourceStatus? Status)
{
    private static readonly System.Text.Json.JsonSerializerOptions Web = new(System.Text.Json.JsonSerializerDefaults.Web);

    /// <summary>Reads the custom object the API returned (it has no typed model in the client).</summary>
    public static VaultResource From(System.Text.Json.Nodes.JsonObject resource) =>
        System.Text.Json.JsonSerializer.Deserialize<VaultResource>(resource, Web) ?? throw new FormatException("The Vault resource is empty.");
}

/// <summary>status.nodes (pod names), status.leader and status.conditions[] (type Healthy), as the operator writes them.</summary>
public sealed record VaultResourceStatus(IReadOnlyList<string>? Nodes, string? Leader, IReadOnlyList<VaultResourceCondition>? Conditions)
{
    [JsonIgnore]
    public bool IsHealthy => Conditions?.Any(c => c.Type == "Healthy" && c.Status == "True") == true;
}

public sealed record VaultResourceCondition(string Type, string Status, string? Message = null, string? Error = null);
