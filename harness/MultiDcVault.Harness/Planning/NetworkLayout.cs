namespace MultiDcVault.Harness.Planning;

/// <summary>One IPAM config of a Docker network (either family, in whatever order Docker lists them).</summary>
internal sealed record IpamSubnet(string Subnet, string? Gateway);

/// <summary>What the planner needs to know about the shared Docker network.</summary>
internal sealed record NetworkLayout(
    string Name,
    IReadOnlyList<IpamSubnet> Subnets,
    IReadOnlyList<string> UsedAddresses);
