using Docker.DotNet.Models;
using MultiDcVault.Harness.Clusters.Kind;
using MultiDcVault.Harness.Faults;
using MultiDcVault.Harness.Infrastructure.Docker;
using MultiDcVault.Harness.Planning;

namespace MultiDcVault.Harness.Clusters.Docker;

/// <summary><see cref="IEnvironmentDocker"/> over the Docker Engine API client.</summary>
internal sealed class DockerEnvironment(DockerConnection connection) : IEnvironmentDocker
{
    /// <summary>Label kind puts on every node container (value: the cluster name).</summary>
    public const string KindClusterLabel = KindClusterProvider.ClusterLabel;

    public INodeContainers NodeContainers { get; } = new DockerNodeContainers(connection);

    public async Task<string?> ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            var docker = await connection.GetAsync(cancellationToken);
            return await docker.PingAsync(cancellationToken) ? null : $"the engine at {docker.Endpoint} did not answer OK to /_ping.";
        }
        catch (DockerException ex)
        {
            return ex.Message;
        }
    }

    public async Task<(NetworkLayout Layout, bool Created)> EnsureNetworkAsync(
        string name, string? subnet, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        var docker = await connection.GetAsync(cancellationToken);
        var inspector = new DockerNetworkInspector(docker);
        IReadOnlyList<IpamSubnet>? subnets = subnet is null ? null : [new IpamSubnet(subnet, null)];
        var (_, created) = await inspector.EnsureNetworkAsync(name, subnets, labels, cancellationToken);
        return (await inspector.ReadLayoutAsync(name, cancellationToken), created);
    }

    public async Task<NetworkLayout?> TryReadNetworkAsync(string name, CancellationToken cancellationToken)
    {
        var docker = await connection.GetAsync(cancellationToken);
        return await docker.Networks.TryInspectAsync(name, cancellationToken) is null
            ? null
            : await new DockerNetworkInspector(docker).ReadLayoutAsync(name, cancellationToken);
    }

    public async Task<string?> NetworkSessionAsync(string name, CancellationToken cancellationToken)
    {
        var network = await (await connection.GetAsync(cancellationToken)).Networks.TryInspectAsync(name, cancellationToken);
        return network?.Labels is { } labels && labels.TryGetValue(HarnessLabels.Session, out var session) ? session : null;
    }

    public async Task<bool> RemoveNetworkAsync(string name, CancellationToken cancellationToken) =>
        await (await connection.GetAsync(cancellationToken)).Networks.RemoveAsync(name, cancellationToken);

    public async Task<IReadOnlyList<KindNodeContainer>> FindKindNodesAsync(string cluster, CancellationToken cancellationToken)
    {
        var docker = await connection.GetAsync(cancellationToken);
        var summaries = await docker.Containers.ListAsync(new Dictionary<string, string?> { [KindClusterLabel] = cluster }, cancellationToken);
        var nodes = new List<KindNodeContainer>();
        foreach (var summary in summaries)
        {
            var container = await docker.Containers.TryInspectAsync(summary.ID, cancellationToken);
            if (container is null || container.Config?.Labels is not { } labels || !labels.TryGetValue(KindClusterLabel, out var owner) || owner != cluster)
            {
                continue;
            }

            var networks = (container.NetworkSettings?.Networks ?? new Dictionary<string, EndpointSettings>())
                .ToDictionary(
                    n => n.Key,
                    n => new NodeAddresses(Empty(n.Value.IPAddress), Empty(n.Value.GlobalIPv6Address)));
            nodes.Add(new KindNodeContainer(container.Name.TrimStart('/'), cluster, networks));
        }

        return [.. nodes.OrderBy(n => n.Name, StringComparer.Ordinal)];
    }

    public async Task<SweepResult> SweepSessionAsync(string session, CancellationToken cancellationToken) =>
        await new DockerSweeper(await connection.GetAsync(cancellationToken)).SweepSessionAsync(session, cancellationToken);

    public async Task<IReadOnlyList<SessionContainer>> FindAnySessionContainersAsync(CancellationToken cancellationToken)
    {
        var docker = await connection.GetAsync(cancellationToken);
        var candidates = new HashSet<string>(StringComparer.Ordinal);
        foreach (var container in await docker.Containers.ListAsync(HarnessLabels.AnySessionFilter, cancellationToken))
        {
            candidates.Add(container.ID);
        }

        // Whose an unlabelled node container is: the labelled network it sits on says.
        var networkLabels = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var summary in await docker.Networks.ListAsync(HarnessLabels.AnySessionFilter, cancellationToken))
        {
            var network = await docker.Networks.TryInspectAsync(summary.ID, cancellationToken);
            foreach (var id in network?.Containers?.Keys ?? Enumerable.Empty<string>())
            {
                candidates.Add(id);
                networkLabels.TryAdd(id, network?.Labels is { } labels ? new Dictionary<string, string>(labels, StringComparer.Ordinal) : new Dictionary<string, string>());
            }
        }

        // A stopped or never-started node is not in its network's inspect (Docker lists running and paused endpoints
        // only), yet it is on that network: find kind nodes by their label and the network IDs they are attached to.
        var labelledNetworks = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var summary in await docker.Networks.ListAsync(HarnessLabels.AnySessionFilter, cancellationToken))
        {
            labelledNetworks.TryAdd(summary.ID, summary.Labels is { } labels ? new Dictionary<string, string>(labels, StringComparer.Ordinal) : new Dictionary<string, string>());
        }

        foreach (var node in await docker.Containers.ListAsync(new Dictionary<string, string?> { [KindClusterLabel] = null }, cancellationToken))
        {
            foreach (var endpoint in node.NetworkSettings?.Networks?.Values ?? Enumerable.Empty<global::Docker.DotNet.Models.EndpointSettings>())
            {
                if (endpoint.NetworkID is { } networkId && labelledNetworks.TryGetValue(networkId, out var onNetwork) && candidates.Add(node.ID))
                {
                    networkLabels.TryAdd(node.ID, onNetwork);
                }
            }
        }

        var found = new List<SessionContainer>();
        foreach (var id in candidates)
        {
            // Gone meanwhile: nothing left to find.
            if (await docker.Containers.TryInspectAsync(id, cancellationToken) is not { } container)
            {
                continue;
            }

            var own = container.Config?.Labels is { } labels ? new Dictionary<string, string>(labels, StringComparer.Ordinal) : new Dictionary<string, string>();
            found.Add(new SessionContainer(container.ID, container.Name?.TrimStart('/') ?? container.ID, own, container.State?.Paused == true)
            {
                OwnerLabels = !own.ContainsKey(HarnessLabels.Session) && networkLabels.TryGetValue(container.ID, out var onNetwork) ? onNetwork : own,
            });
        }

        return [.. found.OrderBy(c => c.Name, StringComparer.Ordinal)];
    }

    public async Task<SweepResult> SweepSelectedAsync(Func<IReadOnlyDictionary<string, string>, bool> which, CancellationToken cancellationToken) =>
        await new DockerSweeper(await connection.GetAsync(cancellationToken)).SweepSelectedAsync(which, cancellationToken);

    public async Task<LocalImage?> FindImageAsync(string image, CancellationToken cancellationToken)
    {
        var docker = await connection.GetAsync(cancellationToken);
        try
        {
            var found = await docker.Images.InspectAsync(image, cancellationToken);
            var platform = string.IsNullOrEmpty(found.Variant) ? $"{found.Os}/{found.Architecture}" : $"{found.Os}/{found.Architecture}/{found.Variant}";
            return new LocalImage(image, found.ID, platform, found.Size);
        }
        catch (DockerImageNotFoundException)
        {
            return null;
        }
    }

    public async Task PullImageAsync(string image, IProgress<ImagePullProgress>? progress, CancellationToken cancellationToken) =>
        await (await connection.GetAsync(cancellationToken)).Images.PullAsync(image, progress, cancellationToken);

    public async Task<bool> NeedsPortForwardingAsync(CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsLinux())
        {
            return true;
        }

        var version = await (await connection.GetAsync(cancellationToken)).VersionAsync(cancellationToken);
        return version.IsDockerDesktop();
    }

    private static string? Empty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
