using MultiDcVault.Harness.Faults;

namespace MultiDcVault.Harness.Health;

/// <summary>
/// Puts the faults the harness injected next to what the Raft probe saw: a datacenter that is partitioned (or paused)
/// and does not answer is "unreachable (partitioned)", the expected effect of the fault, not an error of the harness.
/// (A partitioned node may be unreachable from the host: a paused node answers nothing, and a pod that goes NotReady
/// loses its MetalLB address. The Vault CRs keep a standby that cannot reach the active node Ready, haunhealthycode=299,
/// so a partitioned standby can also still answer, as a standby with an unhealthy HA connection.)
/// The verdict does not change: a cluster with a fault in place is degraded, and says why.
/// </summary>
public static class InjectedFaultStatus
{
    public static RaftObservation Annotate(RaftObservation observation, IReadOnlyList<InjectedFault> faults)
    {
        ArgumentNullException.ThrowIfNull(observation);
        ArgumentNullException.ThrowIfNull(faults);
        if (faults.Count == 0)
        {
            return observation;
        }

        var byDatacenter = faults.ToDictionary(f => f.Datacenter, StringComparer.Ordinal);
        var unreachable = new List<InjectedFault>();
        var rows = observation.Datacenters.Select(row =>
        {
            // Problem carries the node's own error: set only when it did not answer.
            if (row.Problem is null || !byDatacenter.TryGetValue(row.Name, out var fault))
            {
                return row;
            }

            unreachable.Add(fault);
            return row with { RaftRole = $"unreachable ({fault.Reason})", Problem = fault.Advice };
        }).ToList();

        var rawErrors = unreachable.Select(f => $"node {f.Datacenter} did not answer sys/leader").ToList();
        var problems = observation.Health.Problems
            .Where(p => !rawErrors.Any(prefix => p.StartsWith(prefix, StringComparison.Ordinal)))
            .Concat(unreachable.Select(f => $"{f.Datacenter} is unreachable ({f.Reason}): {f.Advice}"))
            .ToList();
        return new RaftObservation(observation.Health with { Problems = problems }, rows);
    }
}
