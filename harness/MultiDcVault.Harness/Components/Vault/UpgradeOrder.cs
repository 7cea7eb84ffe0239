using MultiDcVault.Harness.Infrastructure.Vault;

namespace MultiDcVault.Harness.Components.Vault;

/// <summary>
/// The order a rolling upgrade visits the datacenters in: the followers (standbys) in plan order, then the current Raft
/// leader, so the cluster fails over once, onto an upgraded node, and never from a newer version back to an older one
/// (hashicorp/vault website/content/docs/upgrading/vault-ha-upgrade.mdx, at e17b57f: upgrade each standby, then shut the
/// active node down with SIGINT/SIGTERM so an upgraded standby takes over; "DO NOT attempt to issue a step-down" during
/// the upgrade; the OpenBao copy of that page: "do not fail over from a newer version ... to an older version").
/// Deleting the pod, which the StatefulSet controller does, is that SIGTERM.
/// </summary>
internal static class UpgradeOrder
{
    /// <summary>
    /// The datacenters still to upgrade: those of <paramref name="planOrder"/> not in <paramref name="upgraded"/>, followers
    /// first in plan order, <paramref name="leader"/> last. Ask again after each datacenter with the leader autopilot reports
    /// then: when leadership moved to an upgraded node, every datacenter left is a follower.
    /// </summary>
    /// <param name="planOrder">Every datacenter of the plan, bootstrap leader first (Raft node_id = datacenter name).</param>
    /// <param name="leader">The current Raft leader's node_id (autopilot's <c>leader</c>).</param>
    /// <param name="upgraded">Datacenters already upgraded.</param>
    /// <exception cref="ArgumentException">No datacenters, duplicates, or a leader or upgraded name that is not one of them.</exception>
    public static IReadOnlyList<string> Remaining(IReadOnlyList<string> planOrder, string leader, IReadOnlyCollection<string>? upgraded = null)
    {
        ArgumentNullException.ThrowIfNull(planOrder);
        if (planOrder.Count == 0)
        {
            throw new ArgumentException("There are no datacenters to upgrade.", nameof(planOrder));
        }

        if (planOrder.GroupBy(d => d, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
        {
            throw new ArgumentException($"Datacenter '{duplicate.Key}' is listed twice in the upgrade plan ({string.Join(", ", planOrder)}).", nameof(planOrder));
        }

        if (string.IsNullOrWhiteSpace(leader))
        {
            throw new ArgumentException("There is no Raft leader to upgrade last: wait for autopilot to report one before upgrading.", nameof(leader));
        }

        if (!planOrder.Contains(leader, StringComparer.Ordinal))
        {
            throw new ArgumentException($"The Raft leader '{leader}' is not one of the datacenters ({string.Join(", ", planOrder)}).", nameof(leader));
        }

        var done = upgraded ?? [];
        if (done.FirstOrDefault(d => !planOrder.Contains(d, StringComparer.Ordinal)) is { } stranger)
        {
            throw new ArgumentException($"Upgraded datacenter '{stranger}' is not one of the datacenters ({string.Join(", ", planOrder)}).", nameof(upgraded));
        }

        var left = planOrder.Where(d => !done.Contains(d, StringComparer.Ordinal)).ToList();
        return [.. left.Where(d => d != leader), .. left.Where(d => d == leader)];
    }

    /// <summary>
    /// <see cref="Remaining(IReadOnlyList{string}, string, IReadOnlyCollection{string}?)"/> with the leader autopilot reports, after checking that autopilot's servers are exactly the
    /// plan's datacenters (a missing or extra Raft member would make the upgrade skip a node or count a stranger).
    /// </summary>
    public static IReadOnlyList<string> Remaining(IReadOnlyList<string> planOrder, AutopilotState state, IReadOnlyCollection<string>? upgraded = null)
    {
        ArgumentNullException.ThrowIfNull(planOrder);
        ArgumentNullException.ThrowIfNull(state);
        var servers = state.Servers.Keys.Order(StringComparer.Ordinal).ToList();
        if (!servers.SequenceEqual(planOrder.Order(StringComparer.Ordinal), StringComparer.Ordinal))
        {
            throw new ArgumentException(
                $"Autopilot's servers ({(servers.Count == 0 ? "none" : string.Join(", ", servers))}) are not the datacenters ({string.Join(", ", planOrder)}): " +
                "upgrade only a complete, healthy Raft cluster.",
                nameof(state));
        }

        return Remaining(planOrder, state.Leader ?? string.Empty, upgraded);
    }
}
