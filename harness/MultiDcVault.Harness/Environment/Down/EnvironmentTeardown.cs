using MultiDcVault.Harness.Planning;
using MultiDcVault.Harness.Environment.State;
using MultiDcVault.Harness.Environment.Steps;
using MultiDcVault.Harness.Health;

namespace MultiDcVault.Harness.Environment.Down;

/// <summary>
/// Tears down one session: its kind clusters (in parallel, each with the session's own kubeconfig),
/// the central Vault, labelled leftovers, and the network when the harness created it. It never
/// touches another kind cluster: a cluster is deleted only when its node container (label
/// io.x-k8s.kind.cluster) is attached to the session's network, and, on kind's shared default network,
/// only when the session's state recorded it. The user's ~/.kube/config is never read or written.
/// </summary>
internal sealed class EnvironmentTeardown(EnvironmentParts parts)
{
    public async Task<TeardownReport> RunAsync(PhaseTimer timer, CancellationToken cancellationToken)
    {
        var notes = new List<string>();
        var damaged = false;
        EnvironmentState? state;
        try
        {
            state = await parts.Store.ReadAsync(cancellationToken);
        }
        catch (InvalidDataException ex)
        {
            // Down is what the user runs to recover, so it must not refuse: without the record it removes
            // what the session's labels and names prove to be ours, as after a crash that lost the file.
            state = null;
            damaged = true;
            notes.Add(($"{parts.Store.StatePath} could not be read ({ex.InnerException?.Message ?? ex.Message}); " +
                "removed what this session's labels and names identify instead.").ReplaceLineEndings(" "));
        }

        var network = state?.NetworkName ?? parts.Options.NetworkName;
        var problems = new List<string>();

        // Clusters of the state first (their kubeconfig paths), then plan names the state does not know.
        var candidates = (state?.Clusters ?? []).Select(c => (c.Name, c.KubeconfigPath, Recorded: true))
            .Concat(parts.Options.ClusterNames
                .Where(name => state?.Clusters.Any(c => c.Name == name) != true)
                .Select(name => (Name: name, KubeconfigPath: parts.KubeconfigPath(name), Recorded: false)))
            .ToList();

        // Without a record, a cluster is ours only if it sits on a network this session labelled.
        var networkIsOurs = await parts.Docker.NetworkSessionAsync(network, cancellationToken) == parts.Options.Session;
        var deletions = await Task.WhenAll(candidates.Select(c =>
            DeleteClusterAsync(timer, c.Name, c.KubeconfigPath, c.Recorded || networkIsOurs, network, problems, cancellationToken)));
        var clustersDeleted = candidates.Where((_, i) => deletions[i]).Select(c => c.Name).ToList();

        var containers = new List<string>();
        var networks = new List<string>();
        var volumes = new List<string>();
        await timer.RunAsync("central vault remove", null, async () =>
        {
            // Container and its data volume: the KMS and bank-vaults' keys of this environment end here.
            var removed = await parts.Ports.CentralVaults.RemoveAsync(cancellationToken);
            if (removed.Container)
            {
                containers.Add(parts.Ports.CentralVaults.ContainerName);
            }

            if (removed.Volume)
            {
                volumes.Add(parts.Ports.CentralVaults.DataVolumeName);
            }
        });

        await timer.RunAsync("sweep", null, async () =>
        {
            var swept = await parts.Docker.SweepSessionAsync(parts.Options.Session, cancellationToken);
            containers.AddRange(swept.Containers.Where(c => !containers.Contains(c)));
            networks.AddRange(swept.Networks);
            volumes.AddRange(swept.Volumes.Where(v => !volumes.Contains(v)));
        });

        if (state?.NetworkCreatedByHarness == true && !networks.Contains(network))
        {
            await timer.RunAsync("network remove", null, async () =>
            {
                if (await parts.Docker.RemoveNetworkAsync(network, cancellationToken))
                {
                    networks.Add(network);
                }
            });
        }

        if (damaged)
        {
            // Without a readable record down cannot prove it removed everything, and secrets.json may hold the root
            // token of something still running: set both aside for a person instead of deleting them.
            var kept = parts.Store.SetAsideDamaged(parts.Time.GetUtcNow());
            notes.Add($"kept the unreadable state as {string.Join(" and ", kept)}; delete them once nothing of session '{parts.Options.Session}' runs.");
        }
        else
        {
            // Clusters left alone belong to someone else: they do not keep this session's state alive.
            parts.Store.Delete();
        }

        return new TeardownReport(clustersDeleted, containers, networks, problems) { VolumesRemoved = volumes, Notes = notes };
    }

    private async Task<bool> DeleteClusterAsync(
        PhaseTimer timer, string name, string kubeconfigPath, bool provablyOurs, string network, List<string> problems, CancellationToken cancellationToken)
    {
        var nodes = await parts.Clusters.FindNodesAsync(name, cancellationToken);
        if (nodes.Count == 0)
        {
            timer.Skip("kind delete", name, "no kind cluster of that name");
            return false;
        }

        var onOurNetwork = nodes.Any(n => n.Networks.ContainsKey(network));
        if (!onOurNetwork || !provablyOurs)
        {
            lock (problems)
            {
                problems.Add(
                    $"kind cluster '{name}' exists but is not known to belong to session '{parts.Options.Session}' " +
                    $"({(onOurNetwork ? "not in its state file, and the network is not labelled for this session" : $"its nodes are not on network '{network}'")}); left alone. " +
                    $"Delete it yourself with `kind delete cluster --name {name}` if it is a leftover.");
            }

            timer.Skip("kind delete", name, "not this session's cluster; left alone");
            return false;
        }

        await timer.RunAsync("kind delete", name, () => parts.Clusters.DeleteAsync(new ClusterIdentity(name), kubeconfigPath, cancellationToken));
        return true;
    }
}
