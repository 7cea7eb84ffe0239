namespace MultiDcVault.Harness.Faults;

/// <summary>A power cycle in its three steps, for the power-cycle scenario; as an <see cref="IFault"/>, heal starts whatever is stopped.</summary>
internal interface IPowerCycle : IFault
{
    /// <summary>The start order of <paramref name="variant"/>.</summary>
    IReadOnlyList<PowerTarget> Order(PowerCycleVariant variant);

    /// <summary>Stops every node container and the central Vault at once.</summary>
    Task StopAllAsync(CancellationToken cancellationToken);

    /// <summary>Starts everything again in <paramref name="variant"/>'s order.</summary>
    Task StartAsync(PowerCycleVariant variant, CancellationToken cancellationToken);

    /// <summary>Starts these targets, in this order (every one is tried even when one fails).</summary>
    Task StartAsync(IReadOnlyList<PowerTarget> order, CancellationToken cancellationToken);

    /// <summary>Node and LB addresses now against before the cycle; never hangs.</summary>
    Task<PowerAddressCheck> CheckAddressesAsync(CancellationToken cancellationToken);
}
