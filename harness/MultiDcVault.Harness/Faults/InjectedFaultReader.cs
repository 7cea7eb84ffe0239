namespace MultiDcVault.Harness.Faults;

/// <summary>What the harness has done to one datacenter that is still in place.</summary>
public enum InjectedFaultKind
{
    /// <summary>The partition chain is hooked into a node's filter table (<see cref="PartitionFault"/>).</summary>
    Partitioned,

    /// <summary>A node container is paused (<see cref="DatacenterOutageFault"/>).</summary>
    Paused,
}

/// <summary>One fault found in place, e.g. ("primary", Partitioned).</summary>
public sealed record InjectedFault(string Datacenter, InjectedFaultKind Kind)
{
    /// <summary>"partitioned" or "paused": the word status prints after "unreachable".</summary>
    public string Reason => Kind == InjectedFaultKind.Partitioned ? "partitioned" : "paused";

    /// <summary>How a person undoes it.</summary>
    public string Advice => $"{Reason} by the harness; undo with 'multidc heal'";
}

/// <summary>
/// Reads which faults of the catalogue are in place, from the nodes themselves rather than from a record the
/// injecting process kept: partitions and pauses outlive that process ('multidc partition', 'failover --no-heal',
/// a crashed test), and the nodes are what decides whether traffic flows. A paused node is reported as paused and
/// not exec'ed into (exec into a paused container fails). A node that cannot be read is left out: this only
/// explains unreachability, it never causes a failure of its own.
/// </summary>
internal static class InjectedFaultReader
{
    public static async Task<IReadOnlyList<InjectedFault>> ReadAsync(INodeContainers containers, FaultTopology topology, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(containers);
        ArgumentNullException.ThrowIfNull(topology);
        var found = new List<InjectedFault>();
        foreach (var dc in topology.Datacenters)
        {
            var kind = await ReadDatacenterAsync(containers, dc, cancellationToken);
            if (kind is { } k)
            {
                found.Add(new InjectedFault(dc.Name, k));
            }
        }

        return found;
    }

    /// <summary>
    /// True when iptables -S output shows a built-in chain jumping to the partition chain: the chain alone
    /// (without the hooks <see cref="PartitionRules"/> adds last) filters nothing.
    /// </summary>
    public static bool ShowsPartitionHook(string iptablesSaveOutput)
    {
        ArgumentNullException.ThrowIfNull(iptablesSaveOutput);
        return iptablesSaveOutput.Split('\n').Select(l => l.Trim()).Any(line =>
            PartitionRules.HookedChains.Any(hook => line.StartsWith($"-A {hook} ", StringComparison.Ordinal)) &&
            line.EndsWith($"-j {PartitionRules.ChainName}", StringComparison.Ordinal));
    }

    private static async Task<InjectedFaultKind?> ReadDatacenterAsync(INodeContainers containers, FaultDatacenter dc, CancellationToken cancellationToken)
    {
        foreach (var node in dc.Nodes)
        {
            try
            {
                if (await containers.IsPausedAsync(node.ContainerName, cancellationToken))
                {
                    return InjectedFaultKind.Paused;
                }

                var tools = new List<string>();
                if (node.IPv4Address is not null)
                {
                    tools.Add("iptables");
                }

                if (node.IPv6Address is not null)
                {
                    tools.Add("ip6tables");
                }

                foreach (var tool in tools)
                {
                    var result = await containers.ExecAsync(node.ContainerName, [tool, "-w", "10", "-S"], cancellationToken);
                    if (result.Succeeded && ShowsPartitionHook(result.StandardOutput))
                    {
                        return InjectedFaultKind.Partitioned;
                    }
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Unreadable node: no explanation from it (see the class summary).
            }
        }

        return null;
    }
}
