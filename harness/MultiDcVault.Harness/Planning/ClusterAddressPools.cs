namespace MultiDcVault.Harness.Planning;

/// <summary>
/// The MetalLB spec.addresses entries for one cluster: an inclusive "first-last" range per
/// family, IPv4 first. The same text works for iptables' <c>-m iprange --dst-range</c>.
/// </summary>
internal sealed record ClusterAddressPools(string ClusterName, IReadOnlyList<string> AddressPools);
