using MultiDcVault.Harness.Infrastructure.Docker;

namespace MultiDcVault.Harness.Clusters.Docker;

/// <summary>What a sweep removed (names as Docker reports them).</summary>
internal sealed record SweepResult(IReadOnlyList<string> Containers, IReadOnlyList<string> Networks)
{
    /// <summary>Labelled named volumes removed (the central Vault's storage).</summary>
    public IReadOnlyList<string> Volumes { get; init; } = [];
}

/// <summary>
/// Removes harness-labelled leftovers: containers first (a network with endpoints cannot be
/// removed), then named volumes (a volume in use cannot be removed), then networks. Objects that vanish meanwhile are not errors.
/// </summary>
internal sealed class DockerSweeper
{
    private readonly DockerClient _docker;

    public DockerSweeper(DockerClient docker) => _docker = docker;

    public Task<SweepResult> SweepSessionAsync(string sessionId, CancellationToken cancellationToken) =>
        SweepAsync(HarnessLabels.SessionFilter(sessionId), cancellationToken);

    public Task<SweepResult> SweepAllSessionsAsync(CancellationToken cancellationToken) =>
        SweepAsync(HarnessLabels.AnySessionFilter, cancellationToken);

    private async Task<SweepResult> SweepAsync(IReadOnlyDictionary<string, string?> filter, CancellationToken cancellationToken)
    {
        var removedContainers = new List<string>();
        foreach (var container in await _docker.Containers.ListAsync(filter, cancellationToken))
        {
            if (await _docker.Containers.RemoveAsync(container.ID, force: true, removeVolumes: true, cancellationToken))
            {
                removedContainers.Add(container.Names?.FirstOrDefault()?.TrimStart('/') ?? container.ID);
            }
        }

        var removedVolumes = new List<string>();
        foreach (var volume in await _docker.Volumes.ListAsync(filter, cancellationToken))
        {
            if (await _docker.Volumes.RemoveAsync(volume.Name, cancellationToken))
            {
                removedVolumes.Add(volume.Name);
            }
        }

        var removedNetworks = new List<string>();
        foreach (var network in await _docker.Networks.ListAsync(filter, cancellationToken))
        {
            if (await _docker.Networks.RemoveAsync(network.ID, cancellationToken))
            {
                removedNetworks.Add(network.Name);
            }
        }

        return new SweepResult(removedContainers, removedNetworks) { Volumes = removedVolumes };
    }
}
