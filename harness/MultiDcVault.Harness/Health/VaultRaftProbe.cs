using MultiDcVault.Harness.Planning;
using MultiDcVault.Harness.Faults;
using MultiDcVault.Harness.Infrastructure.Secrets;
using MultiDcVault.Harness.Infrastructure.Vault;

namespace MultiDcVault.Harness.Health;

/// <summary>
/// <see cref="IRaftProbe"/> over each datacenter's Vault API, TLS verified against that cluster's CA:
/// sys/health and sys/leader of every node, the Raft configuration and autopilot state through any node
/// that answers (standbys forward to the active node).
/// </summary>
public sealed class VaultRaftProbe(TimeProvider timeProvider, TimeSpan requestTimeout) : IRaftProbe
{
    public async Task<RaftObservation> ObserveAsync(
        IReadOnlyList<DatacenterEndpoint> datacenters, SecretValue? rootToken, IReadOnlyList<InjectedFault> injectedFaults, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(datacenters);
        ArgumentNullException.ThrowIfNull(injectedFaults);
        var nodes = await Task.WhenAll(datacenters.Select(dc => ObserveNodeAsync(dc, cancellationToken)));

        RaftConfiguration? configuration = null;
        AutopilotState? autopilot = null;
        var clusterErrors = new List<string>();
        if (rootToken is not null)
        {
            // Ask the node that claims to be active first: it answers without forwarding.
            foreach (var node in nodes.OrderByDescending(n => n.Leader?.IsSelf == true).Where(n => n.Leader is not null))
            {
                try
                {
                    using var client = Client(node.Datacenter, rootToken);
                    configuration = await client.GetRaftConfigurationAsync(cancellationToken);
                    autopilot = await client.GetAutopilotStateAsync(cancellationToken);
                    break;
                }
                catch (VaultException ex)
                {
                    clusterErrors.Add($"{node.Datacenter.Name}: {ex.Message}");
                }
            }
        }

        return Compose(nodes, configuration, autopilot, rootToken is not null, clusterErrors, injectedFaults);
    }

    /// <summary>
    /// Pure: the observation from what the nodes answered. A node that did not answer where an injected fault is in
    /// place reads "unreachable (&lt;reason&gt;)" with the fault's advice, in its row and in the verdict's problems.
    /// (A partitioned standby may still answer the host: the CRs' probes accept 474, so its pod stays Ready.)
    /// </summary>
    public static RaftObservation Compose(
        IReadOnlyList<NodeObservation> nodes,
        RaftConfiguration? configuration,
        AutopilotState? autopilot,
        bool rootTokenKnown,
        IReadOnlyList<string> clusterErrors,
        IReadOnlyList<InjectedFault> injectedFaults)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(clusterErrors);
        ArgumentNullException.ThrowIfNull(injectedFaults);
        var faults = injectedFaults.ToDictionary(f => f.Datacenter, StringComparer.Ordinal);
        InjectedFault? FaultOf(NodeObservation n) => n.Leader is null && faults.TryGetValue(n.Datacenter.Name, out var f) ? f : null;

        var observations = nodes.Select(n => n.Leader is not null
            ? new NodeLeaderObservation(n.Datacenter.Name, n.Leader)
            : FaultOf(n) is { } fault
                ? NodeLeaderObservation.Injected(fault)
                : NodeLeaderObservation.Unreachable(n.Datacenter.Name, n.Error ?? "no answer")).ToList();
        var health = RaftHealthEvaluator.Evaluate(autopilot, configuration, observations, nodes.Count);
        if (!rootTokenKnown)
        {
            health = health with { Problems = [.. health.Problems, "the root token is not available yet, so the Raft configuration and autopilot state were not read"] };
        }
        else if (configuration is null && clusterErrors.Count > 0)
        {
            health = health with { Problems = [.. health.Problems, "Raft configuration unreadable: " + string.Join("; ", clusterErrors)] };
        }

        var rows = nodes.Select(n => Row(n, autopilot, FaultOf(n))).ToList();
        return new RaftObservation(health, rows);
    }

    private static DatacenterStatus Row(NodeObservation node, AutopilotState? autopilot, InjectedFault? fault)
    {
        var dc = node.Datacenter;
        var server = autopilot?.Servers.Values.FirstOrDefault(s => s.Name == dc.Name || s.Id == dc.Name);
        var role = fault is not null
            ? $"unreachable ({fault.Reason})"
            : server?.Status ?? (node.Leader is null ? "unreachable" : node.Leader.IsSelf ? "leader" : "standby");
        return new DatacenterStatus(
            dc.Name,
            dc.LoadBalancerIp,
            new ClusterIdentity(dc.Name).PodName,
            node.Health?.Sealed,
            role,
            server?.LastContactDuration,
            server?.Healthy,
            fault?.Advice ?? node.Error);
    }

    private async Task<NodeObservation> ObserveNodeAsync(DatacenterEndpoint dc, CancellationToken cancellationToken)
    {
        try
        {
            using var client = Client(dc, null);
            var health = await client.GetHealthAsync(cancellationToken);
            var leader = await client.GetLeaderAsync(cancellationToken);
            return new NodeObservation(dc, health, leader, null);
        }
        catch (VaultException ex)
        {
            return new NodeObservation(dc, null, null, ex.Message);
        }
    }

    private VaultClient Client(DatacenterEndpoint dc, SecretValue? token) => new(new VaultClientOptions
    {
        Address = dc.VaultAddress,
        Token = token,
        Tls = VaultTls.TrustCaPem(dc.CaCertificatePem),
        RequestTimeout = requestTimeout,
        TimeProvider = timeProvider,
    });

    /// <summary>What one node answered to sys/health and sys/leader, or its error.</summary>
    public sealed record NodeObservation(DatacenterEndpoint Datacenter, VaultHealth? Health, VaultLeader? Leader, string? Error);
}
