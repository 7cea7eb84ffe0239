using MultiDcVault.Harness.Clusters.Docker;
using MultiDcVault.Harness.Clusters;
using MultiDcVault.Harness.Health;
using MultiDcVault.Harness.Infrastructure.Docker;
using MultiDcVault.Harness.Infrastructure.Processes;

namespace MultiDcVault.Harness.Environment.Down;

/// <summary>
/// Removes what sessions of the harness left on this Docker engine: the clusters the provider finds by the harness's
/// labels, then the labelled containers, networks and named volumes — all of them, or only those a selection picks by
/// their owner labels (crash leftovers of dead processes, see <see cref="OwnerLiveness"/>).
/// A cluster that cannot be deleted is a problem in the report, not an exception, so the sweep goes on.
/// </summary>
internal sealed class LeftoverSweeper(IClusterProvider clusters, IEnvironmentDocker docker, OwnerLiveness? liveness = null)
{
    private readonly OwnerLiveness _liveness = liveness ?? OwnerLiveness.System;

    /// <summary>Everything labelled, whoever owns it.</summary>
    public Task<TeardownReport> SweepAllAsync(CancellationToken cancellationToken) => SweepAsync(_ => true, cancellationToken);

    /// <summary>
    /// What provably dead owners left (a test run or up killed hard); never a live, unknown or other host's owner, nor a
    /// kept environment (it outlives its owner on purpose).
    /// </summary>
    public Task<TeardownReport> SweepDeadOwnersAsync(CancellationToken cancellationToken) =>
        SweepAsync(_liveness.IsCrashLeftover, cancellationToken);

    /// <summary>
    /// <c>down --all</c>: dead owners' leftovers and everything of <paramref name="session"/>; with <paramref name="force"/>
    /// everything, naming in the report the live owners whose objects it removed.
    /// </summary>
    public async Task<TeardownReport> SweepForDownAllAsync(string session, bool force, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(session);
        if (!force)
        {
            return await SweepAsync(
                labels => (labels.TryGetValue(HarnessLabels.Session, out var s) && s == session) || _liveness.IsProvablyDead(labels),
                cancellationToken);
        }

        var live = new SortedSet<string>(StringComparer.Ordinal);
        var report = await SweepAsync(
            labels =>
            {
                if (_liveness.StateOf(labels) == OwnerState.Live && HarnessLabels.TryReadOwner(labels) is { } owner)
                {
                    live.Add(owner.Describe());
                }

                return true;
            },
            cancellationToken);
        return report with { LiveOwnersRemoved = [.. live] };
    }

    private async Task<TeardownReport> SweepAsync(Func<IReadOnlyDictionary<string, string>, bool> which, CancellationToken cancellationToken)
    {
        var leftovers = (await clusters.FindLeftoverClustersAsync(cancellationToken)).Where(c => which(c.OwnerLabels)).ToList();

        var problems = new List<string>();

        // A datacenter-outage fault pauses node containers. kind deletes nodes with `docker rm -f -v` (kind v0.32.0
        // pkg/cluster/internal/providers/docker/provider.go DeleteNodes), which removed a paused container on Engine 20.10;
        // unpausing first keeps engines that differ from working. A node gone or no longer paused meanwhile is no reason to stop.
        foreach (var node in leftovers.SelectMany(c => c.PausedNodes))
        {
            try
            {
                await docker.NodeContainers.UnpauseAsync(node, cancellationToken);
            }
            catch (DockerException ex)
            {
                problems.Add($"unpause of {node} failed ({ex.Message.ReplaceLineEndings(" ")}); deleting its cluster anyway");
            }
        }

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
        var swept = await docker.SweepSelectedAsync(which, cancellationToken);
        return new TeardownReport(deleted, swept.Containers, swept.Networks, problems) { VolumesRemoved = swept.Volumes };
    }
}
