using MultiDcVault.Harness.Clusters;
using MultiDcVault.Harness.Health;
using System.Net.Sockets;
using System.Net;
using MultiDcVault.Harness.Components.Kms;
using MultiDcVault.Harness.Components.Vault;
using MultiDcVault.Harness.Configuration;
using MultiDcVault.Harness.Environment.State;
using MultiDcVault.Harness.Faults;
using MultiDcVault.Harness.Infrastructure.Kubernetes;
using MultiDcVault.Harness.Infrastructure.Secrets;
using MultiDcVault.Harness.Planning;

namespace MultiDcVault.Harness.Environment;

/// <summary>One cluster once its Vault answers: where the LB is and which CA signs its certificate.</summary>
internal sealed record ReadyCluster(ClusterPlan Plan, string KubeconfigPath, string KubeContext, string LoadBalancerIp, string CaCertificatePem);

/// <summary>
/// Turns ready clusters into an <see cref="EnvironmentHandle"/>: host-reachable Vault addresses, node
/// containers and the fault topology (node IPs on the shared network, MetalLB pools, and the gateway and
/// central Vault as addresses a partition must keep reachable).
/// </summary>
internal sealed class EnvironmentHandleBuilder(EnvironmentParts parts, VaultHostAccess hostAccess)
{
    public async Task<EnvironmentHandle> BuildAsync(
        EnvironmentPlan plan,
        IReadOnlyList<ReadyCluster> clusters,
        ICentralVaultSession centralVault,
        CancellationToken cancellationToken)
    {
        var network = plan.Network.Name;
        var endpoints = new List<DatacenterEndpoint>();
        var faultDatacenters = new List<FaultDatacenter>();
        foreach (var cluster in clusters)
        {
            var nodes = await parts.Clusters.FindNodesAsync(cluster.Plan.Name, cancellationToken);
            if (nodes.Count == 0)
            {
                throw new InvalidOperationException(
                    $"No kind node container of cluster '{cluster.Plan.Name}' exists (label io.x-k8s.kind.cluster={cluster.Plan.Name}). Run `multidc down` and up again.");
            }

            var target = new KubeTarget(cluster.KubeconfigPath, cluster.KubeContext);
            var address = await hostAccess.ExposeAsync(target, cluster.Plan.Identity.ServiceName, cluster.LoadBalancerIp, cancellationToken);
            endpoints.Add(new DatacenterEndpoint(
                cluster.Plan.Name,
                cluster.Plan.Role,
                cluster.KubeconfigPath,
                cluster.KubeContext,
                cluster.LoadBalancerIp,
                address,
                cluster.CaCertificatePem,
                [.. nodes.Select(n => n.Name)]));
            faultDatacenters.Add(new FaultDatacenter(
                cluster.Plan.Name,
                [.. nodes.Select(n => n.Networks.GetValueOrDefault(network) is { } a
                    ? new FaultNode(n.Name, a.IPv4, a.IPv6)
                    : new FaultNode(n.Name, null, null))],
                cluster.Plan.AddressPools));
        }

        var keepReachable = Gateways(plan.Network).ToList();
        if (centralVault.InNetworkAddress.Host is { Length: > 0 } centralIp && IPAddress.TryParse(centralIp.Trim('[', ']'), out _))
        {
            keepReachable.Add(centralIp.Trim('[', ']'));
        }

        var targets = clusters.ToDictionary(c => c.Plan.Name, c => new KubeTarget(c.KubeconfigPath, c.KubeContext));
        var central = centralVault;
        return new EnvironmentHandle(
            plan,
            endpoints,
            centralVault.InNetworkAddress,
            centralVault.HostAddress,
            async ct => await central.TryReadRootTokenAsync(ct)
                ?? throw new InvalidOperationException($"The central Vault ({central.HostAddress}) holds no root token: bank-vaults has not initialised the leader."),
            new FaultTopology(faultDatacenters, [.. keepReachable.Distinct(StringComparer.Ordinal)]),
            parts.Docker.NodeContainers,
            new KubernetesVaultPods(parts.KubeApi, targets),
            parts.Options.WorkDirectory,
            parts.Time,
            central,
            new KubernetesLoadBalancerAddresses(parts.KubeApi, targets, plan.Options.Namespace))
        {
            LoadImageIntoClusters = (image, progress, ct) => LoadImageAsync([.. clusters.Select(c => c.Plan.Name)], image, progress, ct),
        };
    }

    /// <summary>One pull on the host unless the engine has the image, then one load per cluster (what up does for its images).</summary>
    private async Task LoadImageAsync(IReadOnlyList<string> clusters, string image, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        if (await parts.Docker.FindImageAsync(image, cancellationToken) is null)
        {
            progress?.Report($"Pulling {image} on the host.");
            await parts.Docker.PullImageAsync(image, new ImagePullLog(parts.Logger, image, message => progress?.Report(message)), cancellationToken);
        }

        await using var loader = parts.CreateImageLoader();
        foreach (var cluster in clusters)
        {
            progress?.Report($"Loading {image} into {cluster}.");
            await loader.LoadAsync(cluster, [image], cancellationToken);
        }
    }

    /// <summary>Each subnet's gateway: as Docker reports it, else the first host address (Docker's default).</summary>
    internal static IEnumerable<string> Gateways(NetworkLayout network)
    {
        foreach (var subnet in network.Subnets)
        {
            if (!string.IsNullOrEmpty(subnet.Gateway))
            {
                yield return subnet.Gateway;
                continue;
            }

            var slash = subnet.Subnet.IndexOf('/', StringComparison.Ordinal);
            if (slash > 0 && IPAddress.TryParse(subnet.Subnet[..slash], out var networkAddress))
            {
                var bytes = networkAddress.GetAddressBytes();
                bytes[^1]++;
                yield return new IPAddress(bytes).ToString();
            }
        }
    }

    /// <summary>A plan rebuilt from the state file (same clusters, pools and network as when it came up).</summary>
    public static EnvironmentPlan PlanFrom(MultiDcOptions options, EnvironmentState state) =>
        new(
            options with { ClusterNames = [.. state.Clusters.Select(c => c.Name)], NetworkName = state.NetworkName },
            state.Network ?? new NetworkLayout(state.NetworkName, [], []),
            [.. state.Clusters.Select((c, i) => new ClusterPlan(c.Name, c.Role, i, c.AddressPools))]);

    internal static bool IsIpv4(string address) => IPAddress.TryParse(address, out var ip) && ip.AddressFamily == AddressFamily.InterNetwork;

    internal static Func<CancellationToken, Task<SecretValue?>> RootTokenReader(ICentralVaultSession? centralVault) =>
        centralVault is null ? _ => Task.FromResult<SecretValue?>(null) : centralVault.TryReadRootTokenAsync;
}
