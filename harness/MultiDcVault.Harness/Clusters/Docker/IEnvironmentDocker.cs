using MultiDcVault.Harness.Faults;
using MultiDcVault.Harness.Infrastructure.Docker;
using MultiDcVault.Harness.Planning;

namespace MultiDcVault.Harness.Clusters.Docker;

/// <summary>A kind node container and its addresses on each network it is attached to.</summary>
internal sealed record KindNodeContainer(string Name, string Cluster, IReadOnlyDictionary<string, NodeAddresses> Networks);

internal sealed record NodeAddresses(string? IPv4, string? IPv6);

/// <summary>A container of some harness session: its id, name, labels and whether it is paused.</summary>
internal sealed record SessionContainer(string Id, string Name, IReadOnlyDictionary<string, string> Labels, bool Paused)
{
    /// <summary>
    /// The labels that say whose it is: its own when it carries a session label, else those of the labelled network it was
    /// found on (kind's node containers carry none of ours).
    /// </summary>
    public IReadOnlyDictionary<string, string> OwnerLabels { get; init; } = Labels;
}

/// <summary>An image in the host's Docker engine.</summary>
/// <param name="Platform">"os/arch[/variant]" of the local copy, e.g. "linux/arm64/v8".</param>
internal sealed record LocalImage(string Reference, string Id, string Platform, long SizeBytes);

/// <summary>
/// The Docker side of an environment, as orchestration needs it: the shared network, kind node
/// containers, labelled leftovers, and the adapters the central Vault and the faults run on.
/// The real one is <see cref="DockerEnvironment"/>.
/// </summary>
internal interface IEnvironmentDocker
{
    /// <summary>Null when the engine answers; otherwise what is wrong (for the preflight).</summary>
    Task<string?> ProbeAsync(CancellationToken cancellationToken);

    /// <summary>The network's layout, creating it (labelled, with <paramref name="subnet"/> when given) if missing; Created says who made it.</summary>
    Task<(NetworkLayout Layout, bool Created)> EnsureNetworkAsync(string name, string? subnet, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken);

    Task<NetworkLayout?> TryReadNetworkAsync(string name, CancellationToken cancellationToken);

    /// <summary>Removes the network; false when it did not exist.</summary>
    Task<bool> RemoveNetworkAsync(string name, CancellationToken cancellationToken);

    /// <summary>The io.multidc-vault.session label of the network; null when it is missing or unlabelled (not ours).</summary>
    Task<string?> NetworkSessionAsync(string name, CancellationToken cancellationToken);

    /// <summary>Containers labelled io.x-k8s.kind.cluster=<paramref name="cluster"/>.</summary>
    Task<IReadOnlyList<KindNodeContainer>> FindKindNodesAsync(string cluster, CancellationToken cancellationToken);

    /// <summary>Removes every container, named volume and network labelled with the session.</summary>
    Task<SweepResult> SweepSessionAsync(string session, CancellationToken cancellationToken);

    /// <summary>
    /// Containers labelled with any session, and those attached to a network labelled with any session
    /// (kind cannot label the node containers it creates, but every node joins the harness's labelled network).
    /// </summary>
    Task<IReadOnlyList<SessionContainer>> FindAnySessionContainersAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Removes the containers (paused ones unpaused first), then the networks, then the named volumes labelled with any
    /// session whose labels <paramref name="which"/> selects.
    /// </summary>
    Task<SweepResult> SweepSelectedAsync(Func<IReadOnlyDictionary<string, string>, bool> which, CancellationToken cancellationToken);

    /// <summary>The image in the host's engine; null when it is not there.</summary>
    Task<LocalImage?> FindImageAsync(string image, CancellationToken cancellationToken);

    /// <summary>Pulls an image into the host's engine, reporting the daemon's progress lines.</summary>
    Task PullImageAsync(string image, IProgress<ImagePullProgress>? progress, CancellationToken cancellationToken);

    /// <summary>True when container IPs are not reachable from this host (Docker Desktop, or a non-Linux host).</summary>
    Task<bool> NeedsPortForwardingAsync(CancellationToken cancellationToken);

    INodeContainers NodeContainers { get; }
}
