namespace MultiDcVault.Harness.Faults;

/// <summary>The two start orders of the power-cycle scenario.</summary>
internal enum PowerCycleVariant
{
    /// <summary>The central Vault (the KMS) first, then the datacenters in plan order: every Vault finds its KMS up.</summary>
    CentralFirst,

    /// <summary>The exact reverse: the datacenters in reverse plan order, then the central Vault, so the Vaults start before their KMS and must retry unseal.</summary>
    CentralLast,
}

/// <summary>One thing to power on: the central Vault, or every node container of one datacenter.</summary>
internal sealed record PowerTarget
{
    private PowerTarget(string? datacenter) => Datacenter = datacenter;

    public static PowerTarget CentralVault { get; } = new((string?)null);

    /// <summary>The datacenter's name; null for the central Vault.</summary>
    public string? Datacenter { get; }

    public bool IsCentralVault => Datacenter is null;

    public static PowerTarget Of(string datacenter)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(datacenter);
        return new PowerTarget(datacenter);
    }

    public override string ToString() => Datacenter ?? "central Vault";
}

/// <summary>The order in which a power cycle starts things again; pure, so the scenario's two variants are tested without Docker.</summary>
internal static class PowerCycleOrder
{
    /// <param name="datacenters">The datacenters in plan order (the first is the Raft bootstrap leader).</param>
    public static IReadOnlyList<PowerTarget> For(PowerCycleVariant variant, IReadOnlyList<string> datacenters)
    {
        ArgumentNullException.ThrowIfNull(datacenters);
        if (datacenters.Count == 0)
        {
            throw new ArgumentException("A power cycle needs at least one datacenter.", nameof(datacenters));
        }

        if (datacenters.Distinct(StringComparer.Ordinal).Count() != datacenters.Count)
        {
            throw new ArgumentException($"Datacenters must be distinct: {string.Join(", ", datacenters)}.", nameof(datacenters));
        }

        List<PowerTarget> centralFirst = [PowerTarget.CentralVault, .. datacenters.Select(PowerTarget.Of)];
        return variant switch
        {
            PowerCycleVariant.CentralFirst => centralFirst,
            PowerCycleVariant.CentralLast => [.. Enumerable.Reverse(centralFirst)],
            _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, "Unknown power-cycle variant."),
        };
    }
}
