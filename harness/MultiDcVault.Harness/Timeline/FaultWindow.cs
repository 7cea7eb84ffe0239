namespace MultiDcVault.Harness.Timeline;

/// <summary>An injected fault from injection to heal, as the timeline shades it.</summary>
/// <param name="Label">The fault's description, e.g. "outage(secondary)".</param>
/// <param name="Datacenters">The datacenters it hit; empty when it hit something outside them (the KMS).</param>
/// <param name="End">When the heal finished; null when it was still in place at the end of the run.</param>
public sealed record FaultWindow(string Label, IReadOnlyList<string> Datacenters, DateTimeOffset Start, DateTimeOffset? End);
