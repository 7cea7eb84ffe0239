using Docker.DotNet.Models;
using System.Net;
using MultiDcVault.Harness.Infrastructure.Docker;
using MultiDcVault.Harness.Planning;
using MultiDcVault.Harness.Infrastructure.Polling;

namespace MultiDcVault.Harness.Clusters.Docker;

/// <summary>Reads and prepares the shared network the planner carves address pools from.</summary>
internal sealed class DockerNetworkInspector
{
    private readonly DockerClient _docker;

    public DockerNetworkInspector(DockerClient docker) => _docker = docker;

    /// <summary>
    /// The network's IPAM configs (both families, in Docker's order) and every address an attached
    /// container holds, without prefix length. Throws <see cref="DockerApiException"/> (404) when missing.
    /// </summary>
    public async Task<NetworkLayout> ReadLayoutAsync(string networkName, CancellationToken cancellationToken)
    {
        var network = await _docker.Networks.InspectAsync(networkName, cancellationToken);
        var subnets = (network.IPAM.Config ?? [])
            .Where(c => !string.IsNullOrEmpty(c.Subnet))
            .Select(c => new IpamSubnet(c.Subnet, string.IsNullOrEmpty(c.Gateway) ? null : c.Gateway))
            .ToList();
        var used = (network.Containers?.Values ?? [])
            .SelectMany(c => new[] { c.IPv4Address, c.IPv6Address })
            .Select(WithoutPrefix)
            .OfType<string>()
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        return new NetworkLayout(network.Name, subnets, used);
    }

    /// <summary>
    /// Returns the existing network, or creates a bridge network (with <paramref name="subnets"/>
    /// when given; IPv6 switched on when any is IPv6). Created is true only when this call made it,
    /// so callers know whether tearing it down is theirs to do.
    /// </summary>
    public async Task<(NetworkResponse Network, bool Created)> EnsureNetworkAsync(
        string name, IReadOnlyList<IpamSubnet>? subnets, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        var existing = await _docker.Networks.TryInspectAsync(name, cancellationToken);
        if (existing is not null)
        {
            return (existing, false);
        }

        try
        {
            if (subnets is { Count: > 0 })
            {
                await _docker.Networks.CreateAsync(new NetworkDefinition(name) { Subnets = ToDocker(subnets), Labels = labels }, cancellationToken);
            }
            else
            {
                // Another network may take the freed subnet between the pick and the create: pick again, at once.
                await Poll.RetryAsync(
                    async ct => await _docker.Networks.CreateAsync(new NetworkDefinition(name) { Subnets = ToDocker(await PickSubnetsAsync(name, labels, ct)), Labels = labels }, ct),
                    ex => ex is DockerSubnetOverlapException,
                    PollSchedule.Attempts(5, TimeSpan.Zero),
                    TimeProvider.System, // no pause between attempts, so no clock to inject
                    cancellationToken);
            }
        }
        catch (DockerConflictException)
        {
            // Someone else created it between our inspect and create: use theirs.
            return (await _docker.Networks.InspectAsync(name, cancellationToken), false);
        }

        return (await _docker.Networks.InspectAsync(name, cancellationToken), true);
    }

    /// <summary>
    /// Lets Docker choose free subnets (a throwaway network), then hands them back so the real network is
    /// created with them as user-configured subnets: only those accept a container's fixed address
    /// (moby daemon/container_operations.go, validateEndpointIPAddress), which the central Vault needs.
    /// </summary>
    private async Task<IReadOnlyList<IpamSubnet>> PickSubnetsAsync(string name, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        var probe = $"{name}-subnet-probe-{Guid.NewGuid():N}";
        await _docker.Networks.CreateAsync(new NetworkDefinition(probe) { Labels = labels }, cancellationToken);
        try
        {
            var picked = await _docker.Networks.InspectAsync(probe, cancellationToken);
            return [.. (picked.IPAM?.Config ?? []).Where(c => !string.IsNullOrEmpty(c.Subnet)).Select(c => new IpamSubnet(c.Subnet!, c.Gateway))];
        }
        finally
        {
            await _docker.Networks.RemoveAsync(probe, CancellationToken.None);
        }
    }

    private static string? WithoutPrefix(string? address)
    {
        if (string.IsNullOrEmpty(address))
        {
            return null;
        }

        var slash = address.IndexOf('/', StringComparison.Ordinal);
        var bare = slash < 0 ? address : address[..slash];
        return IPAddress.TryParse(bare, out _) ? bare : null;
    }

    private static NetworkSubnet[] ToDocker(IReadOnlyList<IpamSubnet> subnets) => [.. subnets.Select(s => new NetworkSubnet(s.Subnet, s.Gateway))];
}
