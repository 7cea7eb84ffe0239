using MultiDcVault.Harness.Clusters.Docker;
using MultiDcVault.Harness.Clusters;
using MultiDcVault.Harness.Health;
using MultiDcVault.Harness.Infrastructure.Processes;

namespace MultiDcVault.Harness.Environment.Down;

/// <summary>
/// Removes what every session of the harness left on this Docker engine (down --all): the clusters the
/// provider finds by the harness's labels, then every labelled container, named volume and network.
/// A cluster that cannot be deleted is a problem in the report, not an exception, so the sweep goes on.
/// </summary>
internal sealed class LeftoverSweeper(IClusterProvider clusters, IEnvironmentDocker docker)
{
    public async Task<TeardownReport> SweepAllAsync(CancellationToken cancellationToken)
    {
        var leftovers = await clusters.FindLeftoverClustersAsync(cancellationToken);

        // A datacenter-outage fault pauses node containers; deleting a cluster with paused nodes fails.
        foreach (var node in leftovers.SelectMany(c => c.PausedNodes))
        {
            await docker.NodeContainers.UnpauseAsync(node, cancellationToken);
        }

        var problems = new List<string>();
        var deleted = new List<string>();
        foreach (var cluster in leftovers)
        {
            try
            {
                await clusters.DeleteLeftoverAsync(cluster.Name, cancellationToken);
                deleted.Add(cluster.Name);
            }
            catch (Exception ex) when (ex is ProcessFailedException or ProcessTimeoutException or ToolNotFoundException)
            {
                problems.Add($"{clusters.Name} delete cluster --name {cluster.Name} failed: {ex.Message}");
            }
        }

        // After the clusters: their node containers carry no harness label, so the sweep alone would miss them,
        // and the labelled network cannot go while nodes are still attached to it.
        var swept = await docker.SweepAllSessionsAsync(cancellationToken);
        return new TeardownReport(deleted, swept.Containers, swept.Networks, problems) { VolumesRemoved = swept.Volumes };
    }
}
