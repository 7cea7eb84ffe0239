using System.Text;
using k8s.Models;

namespace MultiDcVault.Harness.Infrastructure.Kubernetes;

/// <summary>What the harness reads off the typed objects.</summary>
internal static class KubernetesObjects
{
    /// <summary>True when the pod's Ready condition is "True".</summary>
    public static bool IsReady(this V1Pod pod) =>
        pod?.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    /// <summary>The first ingress IP MetalLB assigned, or null while pending.</summary>
    public static string? LoadBalancerIp(this V1Service service) =>
        service?.Status?.LoadBalancer?.Ingress?.FirstOrDefault(i => !string.IsNullOrEmpty(i.Ip))?.Ip;

    /// <summary>data[<paramref name="key"/>] (the client already decoded the base64).</summary>
    public static byte[] GetBytes(this V1Secret secret, string key)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return secret.Data is not null && secret.Data.TryGetValue(key, out var bytes)
            ? bytes
            : throw new KeyNotFoundException($"Secret {secret.Metadata?.NamespaceProperty}/{secret.Metadata?.Name} has no data key '{key}' (keys: {string.Join(", ", secret.Data?.Keys ?? [])}).");
    }

    /// <summary>data[<paramref name="key"/>] as UTF-8 (certificates, tokens).</summary>
    public static string GetString(this V1Secret secret, string key) => Encoding.UTF8.GetString(secret.GetBytes(key));
}
