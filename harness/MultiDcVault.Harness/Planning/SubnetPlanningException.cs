namespace MultiDcVault.Harness.Planning;

/// <summary>The network cannot hold the requested MetalLB pools, or its IPAM data is unusable.</summary>
internal sealed class SubnetPlanningException : Exception
{
    public SubnetPlanningException()
    {
    }

    public SubnetPlanningException(string message)
        : base(message)
    {
    }

    public SubnetPlanningException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
