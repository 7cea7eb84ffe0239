namespace MultiDcVault.Harness.Faults;

/// <summary>
/// A whole datacenter goes dark: every node container of the cluster is frozen with docker
/// pause. Pause keeps the containers' IPs (a restart could change them and break the kind
/// nodes), and to peers it looks like a power loss: no FIN, no RST, just silence.
/// </summary>
internal sealed class DatacenterOutageFault : IFault
{
    private readonly INodeContainers _containers;
    private readonly FaultDatacenter _datacenter;

    public DatacenterOutageFault(INodeContainers containers, FaultTopology topology, string datacenter)
    {
        ArgumentNullException.ThrowIfNull(containers);
        ArgumentNullException.ThrowIfNull(topology);
        _containers = containers;
        _datacenter = topology.Datacenter(datacenter);
    }

    public string Description => $"outage({_datacenter.Name})";

    public string Mechanism => $"docker pause of {string.Join(", ", _datacenter.Nodes.Select(n => n.ContainerName))}";

    public async Task InjectAsync(CancellationToken cancellationToken)
    {
        foreach (var node in _datacenter.Nodes)
        {
            // Already paused (an earlier inject): pausing again would be an engine error.
            if (!await _containers.IsPausedAsync(node.ContainerName, cancellationToken))
            {
                await _containers.PauseAsync(node.ContainerName, cancellationToken);
            }
        }
    }

    /// <summary>Unpauses the datacenter's node containers that are paused; every node is tried even if one fails.</summary>
    public async Task HealAsync(CancellationToken cancellationToken)
    {
        var failures = new List<Exception>();
        foreach (var node in _datacenter.Nodes)
        {
            try
            {
                if (await _containers.IsPausedAsync(node.ContainerName, cancellationToken))
                {
                    await _containers.UnpauseAsync(node.ContainerName, cancellationToken);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failures.Add(new InvalidOperationException(
                    $"Could not unpause node container '{node.ContainerName}' of datacenter '{_datacenter.Name}': {ex.Message}. " +
                    $"Run 'docker unpause {node.ContainerName}' by hand.", ex));
            }
        }

        if (failures.Count == 1)
        {
            throw failures[0];
        }

        if (failures.Count > 1)
        {
            throw new AggregateException($"Healing the outage of datacenter '{_datacenter.Name}' failed on {failures.Count} nodes.", failures);
        }
    }
}
