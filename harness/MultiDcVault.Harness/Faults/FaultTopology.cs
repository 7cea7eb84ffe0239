using MultiDcVault.Harness.Planning;
using System.Net.Sockets;
using System.Net;

namespace MultiDcVault.Harness.Faults;

/// <summary>One kind node container and its addresses on the shared Docker network.</summary>
/// <param name="ContainerName">Docker container name, e.g. "secondary-control-plane".</param>
/// <param name="NetworkInterface">The node's interface on the shared network (eth0 when the node is attached to one network).</param>
internal sealed record FaultNode(string ContainerName, string? IPv4Address, string? IPv6Address, string NetworkInterface = "eth0");

/// <summary>One datacenter (kind cluster) as the faults see it.</summary>
/// <param name="Name">Cluster name; the Vault StatefulSet is "vault-&lt;Name&gt;".</param>
/// <param name="LoadBalancerPools">The cluster's MetalLB pools: ranges "a-b", CIDRs or single addresses.</param>
internal sealed record FaultDatacenter(string Name, IReadOnlyList<FaultNode> Nodes, IReadOnlyList<string> LoadBalancerPools)
{
    /// <summary>Every name derived from <see cref="Name"/>.</summary>
    public ClusterIdentity Identity => new(Name);

    public string VaultStatefulSet => Identity.StatefulSetName;

    /// <summary>The datacenter's only Vault pod (the CRs declare size 1).</summary>
    public string VaultPod => Identity.PodName;
}

/// <summary>
/// The environment seen by the faults. All datacenters share one Docker network, so the
/// addresses that must stay reachable during a partition (the network gateway, i.e. the host
/// running the harness, and anything else such as the central Vault when it is not in a pool)
/// belong to the network, not to a datacenter.
/// </summary>
/// <param name="KeepReachable">Addresses never dropped by a partition (gateway IPv4/IPv6, central Vault).</param>
internal sealed record FaultTopology(IReadOnlyList<FaultDatacenter> Datacenters, IReadOnlyList<string> KeepReachable)
{
    /// <summary>The datacenter named <paramref name="name"/>, with an actionable error when it is unknown.</summary>
    public FaultDatacenter Datacenter(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return Datacenters.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.Ordinal))
            ?? throw new ArgumentException(
                $"Datacenter '{name}' is not in the fault topology (known: {string.Join(", ", Datacenters.Select(d => d.Name))}). " +
                "Pass one of the cluster names of the running environment.",
                nameof(name));
    }

    /// <summary>Every datacenter except <paramref name="name"/>.</summary>
    public IReadOnlyList<FaultDatacenter> Others(string name)
    {
        _ = Datacenter(name);
        return [.. Datacenters.Where(d => !string.Equals(d.Name, name, StringComparison.Ordinal))];
    }

    /// <summary>Throws with every problem found when the topology cannot be turned into rules.</summary>
    public void Validate()
    {
        var problems = new List<string>();
        if (Datacenters.Count == 0)
        {
            problems.Add("it has no datacenters");
        }

        foreach (var duplicate in Datacenters.GroupBy(d => d.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add($"datacenter '{duplicate.Key}' appears {duplicate.Count()} times");
        }

        foreach (var dc in Datacenters)
        {
            if (dc.Nodes.Count == 0)
            {
                problems.Add($"datacenter '{dc.Name}' has no node containers");
            }

            foreach (var node in dc.Nodes)
            {
                if (string.IsNullOrWhiteSpace(node.ContainerName))
                {
                    problems.Add($"datacenter '{dc.Name}' has a node without a container name");
                }

                if (node.IPv4Address is null && node.IPv6Address is null)
                {
                    problems.Add($"node '{node.ContainerName}' has no address");
                }

                CheckAddress(node.IPv4Address, AddressFamily.InterNetwork, $"IPv4 address of node '{node.ContainerName}'", problems);
                CheckAddress(node.IPv6Address, AddressFamily.InterNetworkV6, $"IPv6 address of node '{node.ContainerName}'", problems);
            }

            foreach (var pool in dc.LoadBalancerPools)
            {
                if (!AddressTarget.TryParse(pool, out _, out var error))
                {
                    problems.Add($"pool '{pool}' of datacenter '{dc.Name}': {error}");
                }
            }
        }

        foreach (var keep in KeepReachable)
        {
            if (!AddressTarget.TryParse(keep, out _, out var error))
            {
                problems.Add($"keep-reachable address '{keep}': {error}");
            }
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException(
                "The fault topology is invalid: " + string.Join("; ", problems) +
                ". Build it from the running environment (docker inspect of the kind nodes and the MetalLB pools of the plan).");
        }
    }

    private static void CheckAddress(string? value, AddressFamily family, string what, List<string> problems)
    {
        if (value is null)
        {
            return;
        }

        if (!IPAddress.TryParse(value, out var address) || address.AddressFamily != family)
        {
            problems.Add($"{what} '{value}' is not a valid {(family == AddressFamily.InterNetwork ? "IPv4" : "IPv6")} address");
        }
    }
}
