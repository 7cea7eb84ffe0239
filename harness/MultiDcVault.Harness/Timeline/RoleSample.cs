namespace MultiDcVault.Harness.Timeline;

/// <summary>One datacenter's role at one moment.</summary>
/// <param name="Detail">Why the node is unreachable or sealed, or its version; never a token.</param>
public sealed record RoleSample(DateTimeOffset At, string Datacenter, NodeRole Role, string? Detail = null);

/// <summary>A stretch of time in which one datacenter kept one role: from its first sample to the next sample with another role (or the end).</summary>
public sealed record RoleSegment(string Datacenter, NodeRole Role, DateTimeOffset From, DateTimeOffset To)
{
    /// <summary>How long the segment lasted.</summary>
    public TimeSpan Duration => To - From;
}
