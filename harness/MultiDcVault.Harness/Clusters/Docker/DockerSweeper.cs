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
        SweepAsync(HarnessLabels.SessionFilter(sessionId), which: null, cancellationToken);

    /// <summary>
    /// Removes the harness-labelled objects of any session whose labels <paramref name="which"/> selects: containers first
    /// (paused ones unpaused, as a datacenter-outage fault leaves them), then named volumes, then networks. A network or
    /// volume still used by an object that was not selected stays.
    /// </summary>
    public Task<SweepResult> SweepSelectedAsync(Func<IReadOnlyDictionary<string, string>, bool> which, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(which);
        return SweepAsync(HarnessLabels.AnySessionFilter, which, cancellationToken);
    }

    /// <summary>
    /// One sweep for both: everything <paramref name="filter"/> lists, or with <paramref name="which"/> only what it selects.
    /// Only a selective sweep can meet an object in use by one it keeps, so only it leaves such objects instead of failing.
    /// </summary>
    private async Task<SweepResult> SweepAsync(
        IReadOnlyDictionary<string, string?> filter, Func<IReadOnlyDictionary<string, string>, bool>? which, CancellationToken cancellationToken)
    {
        bool Selected(IDictionary<string, string>? labels) => which is null || which(Labels(labels));
        Task<bool> RemoveAsync(Func<Task<bool>> remove) => which is null ? remove() : RemoveUnlessInUseAsync(remove);

        var removedContainers = new List<string>();
        foreach (var container in await _docker.Containers.ListAsync(filter, cancellationToken))
        {
            if (!Selected(container.Labels))
            {
                continue;
            }

            if (which is not null && string.Equals(container.State, "paused", StringComparison.OrdinalIgnoreCase))
            {
                await IgnoreGoneAsync(() => _docker.Containers.UnpauseAsync(container.ID, cancellationToken));
            }

            if (await _docker.Containers.RemoveAsync(container.ID, force: true, removeVolumes: true, cancellationToken))
            {
                removedContainers.Add(container.Names?.FirstOrDefault()?.TrimStart('/') ?? container.ID);
            }
        }

        var removedVolumes = new List<string>();
        foreach (var volume in await _docker.Volumes.ListAsync(filter, cancellationToken))
        {
            if (Selected(volume.Labels) && await RemoveAsync(() => _docker.Volumes.RemoveAsync(volume.Name, cancellationToken)))
            {
                removedVolumes.Add(volume.Name);
            }
        }

        var removedNetworks = new List<string>();
        foreach (var network in await _docker.Networks.ListAsync(filter, cancellationToken))
        {
            if (Selected(network.Labels) && await RemoveAsync(() => _docker.Networks.RemoveAsync(network.ID, cancellationToken)))
            {
                removedNetworks.Add(network.Name);
            }
        }

        return new SweepResult(removedContainers, removedNetworks) { Volumes = removedVolumes };
    }

    private static IReadOnlyDictionary<string, string> Labels(IDictionary<string, string>? labels) =>
        labels is null ? new Dictionary<string, string>() : new Dictionary<string, string>(labels, StringComparer.Ordinal);

    private static async Task IgnoreGoneAsync(Func<Task> unpause)
    {
        try
        {
            await unpause();
        }
        catch (DockerApiException e) when (e.StatusCode is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.Conflict)
        {
            // Gone or no longer paused meanwhile: the forced remove below handles either.
        }
    }

    private static async Task<bool> RemoveUnlessInUseAsync(Func<Task<bool>> remove)
    {
        try
        {
            return await remove();
        }
        catch (DockerApiException e) when (e.StatusCode is System.Net.HttpStatusCode.Conflict or System.Net.HttpStatusCode.Forbidden)
        {
            // Still used by an object the selection keeps (a live owner's container): it stays with it.
            return false;
        }
    }
}
