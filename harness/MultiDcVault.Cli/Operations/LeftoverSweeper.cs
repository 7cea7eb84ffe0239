using MultiDcVault.Harness.Clusters.Docker;
using MultiDcVault.Harness.Clusters.Kind;
using MultiDcVault.Harness.Health;
using MultiDcVault.Harness.Infrastructure.Docker;
using MultiDcVault.Harness.Infrastructure.Processes;

namespace MultiDcVault.Cli.Operations;

/// <summary>Removes what every session of the harness left on this Docker engine (down --all).</summary>
internal interface ILeftoverSweeper
{
    Task<TeardownReport> SweepAllAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Finds kind clusters by their node containers: those carrying our session label, and those
/// attached to a network carrying it (kind itself cannot label the containers it creates, but
/// every node joins the harness's labelled network). Deletes them with kind, then sweeps every
/// labelled container and network. Paused nodes (an outage fault) are unpaused first.
/// </summary>
internal sealed class DockerLeftoverSweeper(ExecutableResolver resolver) : ILeftoverSweeper
{
    public const string KindClusterLabel = "io.x-k8s.kind.cluster";

    public async Task<TeardownReport> SweepAllAsync(CancellationToken cancellationToken)
    {
        using var docker = await DockerClient.ConnectAsync(cancellationToken);
        var problems = new List<string>();
        var clusters = new SortedSet<string>(StringComparer.Ordinal);
        var candidates = new HashSet<string>(StringComparer.Ordinal);

        foreach (var container in await docker.Containers.ListAsync(HarnessLabels.AnySessionFilter, cancellationToken))
        {
            candidates.Add(container.ID);
        }

        foreach (var summary in await docker.Networks.ListAsync(HarnessLabels.AnySessionFilter, cancellationToken))
        {
            var network = await docker.Networks.TryInspectAsync(summary.ID, cancellationToken);
            foreach (var id in network?.Containers?.Keys ?? Enumerable.Empty<string>())
            {
                candidates.Add(id);
            }
        }

        foreach (var id in candidates)
        {
            var container = await docker.Containers.TryInspectAsync(id, cancellationToken);
            if (container?.Config?.Labels is not { } labels || !labels.TryGetValue(KindClusterLabel, out var cluster) || cluster.Length == 0)
            {
                continue;
            }

            clusters.Add(cluster);
            if (container.State?.Paused == true)
            {
                await docker.Containers.UnpauseAsync(id, cancellationToken);
            }
        }

        var deleted = new List<string>();
        if (clusters.Count > 0)
        {
            // kind edits the kubeconfig it is given; a throw-away file keeps ~/.kube/config untouched.
            var kubeconfig = Path.Combine(Path.GetTempPath(), $"multidc-down-{Guid.NewGuid():N}.kubeconfig");
            var kind = new KindCli(new ProcessRunner(resolver: resolver));
            try
            {
                foreach (var cluster in clusters)
                {
                    try
                    {
                        await kind.DeleteClusterAsync(cluster, kubeconfig, cancellationToken);
                        deleted.Add(cluster);
                    }
                    catch (Exception ex) when (ex is ProcessFailedException or ProcessTimeoutException or ToolNotFoundException)
                    {
                        problems.Add($"kind delete cluster --name {cluster} failed: {ex.Message}");
                    }
                }
            }
            finally
            {
                File.Delete(kubeconfig);
            }
        }

        var swept = await new DockerSweeper(docker).SweepAllSessionsAsync(cancellationToken);
        return new TeardownReport(deleted, swept.Containers, swept.Networks, problems) { VolumesRemoved = swept.Volumes };
    }
}
