using System.Globalization;

namespace MultiDcVault.Harness.Faults;

/// <summary>One node container's addresses on the shared network.</summary>
internal sealed record NodeAddressRecord(string Datacenter, string Container, string? IPv4Address, string? IPv6Address);

/// <summary>One datacenter's Vault Service LoadBalancer IP.</summary>
internal sealed record LoadBalancerAddressRecord(string Datacenter, string Address);

/// <summary>What a power cycle must find again: every node container's addresses and every datacenter's LB IP, in plan order.</summary>
internal sealed record PowerAddressSnapshot(IReadOnlyList<NodeAddressRecord> Nodes, IReadOnlyList<LoadBalancerAddressRecord> LoadBalancers);

/// <summary>An address that is not what it was before the power cycle.</summary>
internal abstract record AddressDrift
{
    /// <summary>A clause of the one-line summary, e.g. "node primary-control-plane 172.18.0.3 -> 172.18.0.6".</summary>
    public abstract string Describe();
}

/// <summary>A node container's address of one family moved (After null: it has none now, e.g. it is not running or is gone).</summary>
internal sealed record NodeAddressDrift(string Container, string Before, string? After, string? Why = null) : AddressDrift
{
    public override string Describe() => $"node {Container} {Before} -> {After ?? "none"}{(Why is null ? string.Empty : $" ({Why})")}";
}

/// <summary>A datacenter's LB IP moved, or none was assigned again within <paramref name="Waited"/> (After null).</summary>
internal sealed record LoadBalancerDrift(string Datacenter, string Before, string? After, TimeSpan Waited) : AddressDrift
{
    public override string Describe() =>
        $"LB of {Datacenter} {Before} -> {After ?? string.Create(CultureInfo.InvariantCulture, $"none after {Math.Round(Waited.TotalSeconds)} s")}";
}

/// <summary>The address check after a power cycle: the drifts, and one line a person reads.</summary>
internal sealed record PowerAddressCheck(IReadOnlyList<AddressDrift> Drifts, int NodeAddresses, int LoadBalancers)
{
    public bool Unchanged => Drifts.Count == 0;

    /// <summary>
    /// One line. With drifts the scenario stops on it: node IPs are what the fault topology's rules name, and LB IPs are the
    /// Raft cluster_addr of every Vault, so a Raft cluster whose addresses moved is not waited for.
    /// </summary>
    public string Summary => Unchanged
        ? $"addresses unchanged across the power cycle ({NodeAddresses} node addresses, {LoadBalancers} LB IPs)"
        : "addresses changed across the power cycle: " + string.Join("; ", Drifts.Select(d => d.Describe()));

    public override string ToString() => Summary;
}
