using MultiDcVault.Cli.Commands;
using MultiDcVault.Harness.Faults;

namespace MultiDcVault.Cli.Operations;

/// <summary>
/// Undoes everything the fault catalogue can leave behind, from a process that did not inject it
/// (so it cannot know which faults are active): unpause every paused node, remove the partition
/// chain and the netem qdisc on every node, then check every Vault pod exists. A deleted pod
/// (the pod-loss fault) is recreated by its StatefulSet without help, so there is nothing to undo,
/// only something to confirm. Each step tolerates "already healed", so running it twice is
/// harmless; a failing step does not stop the others.
/// </summary>
internal sealed class FullHeal(INodeContainers nodes, IVaultPods pods, FaultTopology topology, string @namespace)
{
    private const string Hint = "Check that the kind node containers are running ('docker ps') and run 'multidc heal' again.";

    /// <summary>Runs every step; returns one line per step ("ok" or what failed).</summary>
    public async Task<IReadOnlyList<HealStep>> RunAsync(CancellationToken cancellationToken)
    {
        var steps = new List<HealStep>();

        // Unpause first: exec into a paused container hangs or fails, and the later steps exec.
        foreach (var dc in topology.Datacenters)
        {
            steps.Add(await StepAsync($"unpause {dc.Name}", () => new DatacenterOutageFault(nodes, topology, dc.Name).HealAsync(cancellationToken)));
        }

        foreach (var dc in topology.Datacenters)
        {
            steps.Add(await StepAsync(
                $"remove partition rules on {dc.Name}",
                () => NodeCommandRunner.RunAllAsync(nodes, PartitionRules.HealCommands(topology, dc.Name), Hint, cancellationToken)));
        }

        steps.Add(await StepAsync(
            "remove latency (netem) on every node",
            () => NodeCommandRunner.RunAllAsync(nodes, LatencyRules.HealCommands(topology.Datacenters.SelectMany(d => d.Nodes)), Hint, cancellationToken)));

        foreach (var dc in topology.Datacenters)
        {
            steps.Add(await StepAsync(
                $"pod {dc.VaultPod} exists",
                async () =>
                {
                    if (await pods.GetAsync(dc.Name, @namespace, dc.VaultPod, cancellationToken) is null)
                    {
                        throw new InvalidOperationException(
                            $"pod {dc.VaultPod} does not exist yet; its StatefulSet recreates it within seconds: " +
                            $"check 'kubectl get statefulset {dc.VaultStatefulSet} -n {@namespace}' and run 'multidc heal' again");
                    }
                }));
        }

        return steps;
    }

    private static async Task<HealStep> StepAsync(string name, Func<Task> action)
    {
        try
        {
            await action();
            return new HealStep(name, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new HealStep(name, Commands.CommandExecution.Describe(ex));
        }
    }
}

internal sealed record HealStep(string Name, string? Error)
{
    public bool Succeeded => Error is null;

    public override string ToString() => Succeeded ? $"[ OK ] {Name}" : $"[FAIL] {Name}: {Error}";
}
