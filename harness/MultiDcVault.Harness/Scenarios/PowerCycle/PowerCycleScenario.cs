using MultiDcVault.Harness.Faults;
using MultiDcVault.Harness.Health;
using MultiDcVault.Harness.Infrastructure.Polling;
using MultiDcVault.Harness.Verification;

namespace MultiDcVault.Harness.Scenarios.PowerCycle;

/// <summary>
/// Every kind node container and the central Vault stopped at once (docker stop: processes end, memory is lost),
/// then started again: "central-first" (the KMS, then the DCs in plan order) or "central-last" (the exact reverse: the
/// Vaults boot before their KMS and must keep retrying their unseal). The writers keep running throughout.
/// <para>
/// Addresses: the LB IPs are every Vault's Raft and API address, so one that moved (or is not assigned again in time)
/// ends the scenario at once in one line, instead of waiting for a cluster that cannot re-form. A node address that
/// moved is said in one line too, but is not fatal: Docker gives a restarted container the lowest free address (seen on
/// Engine 20.10), kind rewrites a single control-plane node's own address on start (kubernetes-sigs/kind v0.32.0
/// images/base/files/usr/local/bin/entrypoint), and Raft never uses node addresses; the faults built afterwards use the
/// new ones. A node that did not come back at all is fatal.
/// </para>
/// <para>Asserts: a healthy cluster within the power-on bound, which needs every Vault unsealed through the KMS with
/// nobody's help; the same Raft node IDs as before; every acknowledged write readable through every DC.</para>
/// </summary>
internal sealed class PowerCycleScenario : IScenario
{
    public const string ScenarioName = "power-cycle";

    /// <summary>How long everything stays off: long enough that nothing lives on in memory or in open connections.</summary>
    internal static readonly TimeSpan OffFor = TimeSpan.FromSeconds(10);

    /// <summary>central-last: how long the nodes get to run their Vault containers before the KMS is started anyway.</summary>
    internal static readonly TimeSpan VaultsRunningBound = TimeSpan.FromMinutes(5);

    /// <summary>central-last: how long the KMS stays away once every Vault runs (see StartVaultsBeforeTheirKmsAsync).</summary>
    internal static readonly TimeSpan KmsLateBy = TimeSpan.FromSeconds(15);

    private static readonly IReadOnlyDictionary<string, PowerCycleVariant> VariantsByName = new Dictionary<string, PowerCycleVariant>(StringComparer.Ordinal)
    {
        ["central-first"] = PowerCycleVariant.CentralFirst,
        ["central-last"] = PowerCycleVariant.CentralLast,
    };

    public string Name => ScenarioName;

    public string Summary => "docker stop every kind node and the central Vault at once, start them again; every Vault unseals through the KMS with the same Raft nodes and LB IPs, no acknowledged write lost";

    public IReadOnlyList<string> Variants { get; } = [.. VariantsByName.Keys];

    public async Task<ScenarioResult> RunAsync(ScenarioContext context, ScenarioRequest request, string variant, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var order = VariantsByName[variant];
        await using var session = await ScenarioSession.StartAsync(context, Name, variant, workload: true, reader: false, progress, cancellationToken);
        var nodeIds = NodeIds(await context.Raft.ObserveAsync(cancellationToken));
        var power = context.Faults.PowerCycle();
        await Task.Delay(context.Timing.WarmUp, context.Time, cancellationToken);

        progress?.Report($"Power cut: {power.Mechanism}.");
        var scope = await FaultScope.InjectAsync(power, cancellationToken, context.Time, context.Timing.PowerOnBound);
        try
        {
            foreach (var dc in context.Datacenters)
            {
                context.Raft.ExpectUnreachable(dc, "powered off");
            }

            await Task.Delay(OffFor, context.Time, cancellationToken);
            progress?.Report($"Power on, {variant}: {string.Join(" -> ", power.Order(order))}.");
            if (order == PowerCycleVariant.CentralLast)
            {
                await StartVaultsBeforeTheirKmsAsync(context, session, power, progress, cancellationToken);
            }
            else
            {
                await power.StartAsync(order, cancellationToken);
            }

            await scope.HealAsync(cancellationToken); // starts whatever is still stopped (nothing, normally); the scope is then healed
        }
        finally
        {
            await scope.DisposeAsync();
            context.Raft.ClearExpectedUnreachable();
            session.Fault(scope, context.Datacenters);
        }

        var addresses = await power.CheckAddressesAsync(cancellationToken);
        progress?.Report(addresses.Summary);
        var moved = addresses.Drifts.OfType<NodeAddressDrift>().Where(d => d.After is not null).ToList();
        if (moved.Count > 0)
        {
            context.Faults.NodeAddressesMoved(moved);
        }

        var fatal = addresses.Drifts.Where(d => d is LoadBalancerDrift || d is NodeAddressDrift { After: null }).ToList();
        if (fatal.Count > 0)
        {
            session.Problems.Add(addresses.Summary);
            session.Measurements.Add("stopped after the address check: a moved or missing LB IP or a node that did not come back leaves a cluster that cannot re-form, so nothing was waited for or read back");
            return await session.FinishAsync([], cancellationToken);
        }

        if (moved.Count > 0)
        {
            session.Measurements.Add(addresses.Summary + " (not fatal: Raft uses the LB IPs, and the faults now use the new node addresses)");
        }

        var after = await session.WaitForRecoveryAsync($"the power-on ({variant})", context.Timing.PowerOnBound, cancellationToken);
        if (after is not null)
        {
            // Right after the restart the LB IPs read back are what etcd kept; now MetalLB has had its say.
            var settled = await power.CheckAddressesAsync(cancellationToken);
            if (settled.Drifts.OfType<LoadBalancerDrift>().Any())
            {
                session.Problems.Add("after the recovery: " + settled.Summary);
            }

            var now = NodeIds(after);
            if (!now.SetEquals(nodeIds))
            {
                session.Problems.Add($"The Raft cluster re-formed with other node IDs: before {string.Join(", ", nodeIds.Order(StringComparer.Ordinal))}, after {string.Join(", ", now.Order(StringComparer.Ordinal))}.");
            }

            if (order == PowerCycleVariant.CentralLast)
            {
                await RenewTransitTokenAsync(context, session, progress, cancellationToken);
            }

            await Task.Delay(context.Timing.WritesAfterRecovery, context.Time, cancellationToken);
        }

        return await session.FinishAsync(null, cancellationToken);
    }

    /// <summary>
    /// docker start of a node returns in a second, but its Vault runs only tens of seconds later (systemd, kubelet, the
    /// pod): started right after the nodes, the KMS would be back before any Vault asked for it. So the central Vault
    /// waits until every DC's Vault container runs (bounded), then <see cref="KmsLateBy"/> more, so each Vault fails its
    /// unseal at least once (it retries every 5 s: hashicorp/vault command/server.go runUnseal). Not longer: the liveness
    /// probe restarts a sealed Vault after about 30 s, and kubelet's back-off would then dominate the recovery.
    /// </summary>
    private static async Task StartVaultsBeforeTheirKmsAsync(
        ScenarioContext context, ScenarioSession session, IPowerCycle power, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var order = power.Order(PowerCycleVariant.CentralLast);
        await power.StartAsync([.. order.Where(t => !t.IsCentralVault)], cancellationToken);
        var started = context.Time.GetUtcNow();
        var running = await Poll.RunAsync(
            async ct => (await Task.WhenAll(context.Datacenters.Select(dc => context.Faults.VaultRunningAsync(dc, ct)))).All(r => r),
            all => all,
            PollSchedule.For(VaultsRunningBound, context.Timing.PollInterval),
            context.Time,
            cancellationToken);
        session.Measurements.Add(running.Done
            ? $"every Vault container ran {RunReport.Format(context.Time.GetUtcNow() - started)} after the nodes started, before its KMS"
            : $"not every Vault container ran within {RunReport.Format(VaultsRunningBound)} of the nodes starting; the KMS was started anyway");
        if (running.Done)
        {
            await Task.Delay(KmsLateBy, context.Time, cancellationToken);
        }

        progress?.Report("Starting the central Vault last.");
        await power.StartAsync([.. order.Where(t => t.IsCentralVault)], cancellationToken);
    }

    /// <summary>
    /// Every Vault started while its KMS was down, and go-kms-wrapping's transit seal gives up renewing its token when
    /// the first renew at start fails (hashicorp/go-kms-wrapping wrappers/transit/client.go): the shared periodic token
    /// would expire one period later. One follower's pod restarted now renews it again, so a kept environment stays good.
    /// </summary>
    private static async Task RenewTransitTokenAsync(ScenarioContext context, ScenarioSession session, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var leader = (await context.Raft.FindLeaderAsync(cancellationToken))?.Datacenter;
        var follower = context.Datacenters.First(dc => dc != leader);
        progress?.Report($"Restarting {follower}'s Vault pod, so one Vault renews the transit token again (all started before their KMS).");
        var restart = await FaultScope.InjectAsync(context.Faults.PodLoss(follower), cancellationToken, context.Time, context.Timing.HealTimeout);
        await restart.DisposeAsync();
        session.Fault(restart, [follower]);
        await session.WaitForRecoveryAsync($"restarting {follower}'s pod", context.Timing.RecoveryBound, cancellationToken);
    }

    private static HashSet<string> NodeIds(RaftObservation observation) =>
        [.. observation.Configuration?.Servers.Select(s => s.NodeId) ?? []];
}
