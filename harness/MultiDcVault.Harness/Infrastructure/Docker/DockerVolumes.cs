using System.Net;
using System.Text.Json.Serialization;

namespace MultiDcVault.Harness.Infrastructure.Docker;

/// <summary>Named volume operations (the central Vault keeps its storage on one).</summary>
public sealed class DockerVolumes
{
    private readonly DockerTransport _transport;

    internal DockerVolumes(DockerTransport transport) => _transport = transport;

    /// <summary>Creates a local volume, or returns the existing one of that name (Docker's create is idempotent by name).</summary>
    public async Task<DockerVolume> CreateAsync(string name, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(labels);
        return await _transport.PostJsonAsync<DockerVolume>(
            "volumes/create", new { Name = name, Driver = "local", Labels = labels }, ErrorMap.Default, cancellationToken);
    }

    /// <summary>The volume called <paramref name="name"/>, or null when there is none.</summary>
    public async Task<DockerVolume?> TryInspectAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return await _transport.GetJsonAsync<DockerVolume>($"volumes/{Uri.EscapeDataString(name)}", ErrorMap.Default, cancellationToken);
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Removes a volume; false when it did not exist. A volume still used by a container is a conflict (409).</summary>
    public async Task<bool> RemoveAsync(string name, bool force, CancellationToken cancellationToken)
    {
        try
        {
            await _transport.SendAsync(
                HttpMethod.Delete, $"volumes/{Uri.EscapeDataString(name)}?force={(force ? "1" : "0")}", null, ErrorMap.Default, cancellationToken);
            return true;
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>Lists volumes carrying all the given labels (value null = label present with any value).</summary>
    public async Task<IReadOnlyList<DockerVolume>> ListAsync(IReadOnlyDictionary<string, string?> labels, CancellationToken cancellationToken)
    {
        var answer = await _transport.GetJsonAsync<VolumeListResponse>(
            "volumes?" + DockerLabelFilter.Query(DockerLabelFilter.Selectors(labels)), ErrorMap.Default, cancellationToken);
        return answer.Volumes ?? [];
    }

    private sealed record VolumeListResponse([property: JsonPropertyName("Volumes")] IReadOnlyList<DockerVolume>? Volumes);
}

/// <summary>A named volume as GET /volumes/{name} reports it.</summary>
public sealed record DockerVolume
{
    public required string Name { get; init; }

    public string? Driver { get; init; }

    public string? Mountpoint { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }
}
