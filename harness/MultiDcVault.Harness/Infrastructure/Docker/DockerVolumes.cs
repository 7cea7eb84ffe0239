using System.Net;
using Docker.DotNet.Models;
using Engine = Docker.DotNet;

namespace MultiDcVault.Harness.Infrastructure.Docker;

/// <summary>Named volumes (the central Vault's data survives a container restart in one).</summary>
internal sealed class DockerVolumes
{
    private readonly Engine.DockerClient _engine;
    private readonly DockerCalls _calls;

    internal DockerVolumes(Engine.DockerClient engine, DockerCalls calls)
    {
        _engine = engine;
        _calls = calls;
    }

    public Task<VolumeResponse> CreateAsync(string name, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(labels);
        return _calls.RunAsync(
            "POST /volumes/create",
            ct => _engine.Volumes.CreateAsync(new VolumesCreateParameters { Name = name, Driver = "local", Labels = labels.ToDictionary() }, ct),
            cancellationToken);
    }

    /// <summary>Inspects a volume; null when it does not exist.</summary>
    public async Task<VolumeResponse?> TryInspectAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return await _calls.RunAsync($"GET /volumes/{name}", ct => _engine.Volumes.InspectAsync(name, ct), cancellationToken);
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Removes a volume no container uses; returns false when it did not exist.</summary>
    /// <remarks>No force: the library never sends it (VolumeOperations.cs, v4.3.3); remove the container first.</remarks>
    public async Task<bool> RemoveAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            await _calls.RunAsync($"DELETE /volumes/{name}", ct => _engine.Volumes.RemoveAsync(name, null, ct), cancellationToken);
            return true;
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>Lists volumes carrying all the given labels (value null = label present with any value).</summary>
    public async Task<IReadOnlyList<VolumeResponse>> ListAsync(IReadOnlyDictionary<string, string?> labels, CancellationToken cancellationToken)
    {
        var answer = await _calls.RunAsync(
            "GET /volumes", ct => _engine.Volumes.ListAsync(new VolumesListParameters { Filters = DockerLabelFilter.Of(labels) }, ct), cancellationToken);
        return answer.Volumes is null ? [] : [.. answer.Volumes];
    }
}
