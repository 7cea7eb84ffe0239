using System.Text.Json.Serialization;

namespace MultiDcVault.Harness.Infrastructure.Docker;

// Shapes read from the Engine API (only the fields the harness uses). Docker spells keys in
// PascalCase with acronyms (IPAM, IPAddress); the transport reads them case-insensitively.

/// <summary>GET /version.</summary>
public sealed record DockerVersionInfo
{
    public string Version { get; init; } = string.Empty;

    public string ApiVersion { get; init; } = string.Empty;

    [JsonPropertyName("MinAPIVersion")]
    public string MinApiVersion { get; init; } = string.Empty;

    public string Os { get; init; } = string.Empty;

    public string Arch { get; init; } = string.Empty;

    public string KernelVersion { get; init; } = string.Empty;

    /// <summary>The product, e.g. "Docker Desktop 4.37.1 (178610)" or "Docker Engine - Community"; absent on some engines.</summary>
    public DockerPlatform? Platform { get; init; }

    /// <summary>
    /// True for Docker Desktop (macOS, Windows and Linux): the engine runs in a VM, so container
    /// addresses on a bridge network are not reachable from the host.
    /// </summary>
    public bool IsDockerDesktop =>
        (Platform?.Name?.Contains("Docker Desktop", StringComparison.OrdinalIgnoreCase) ?? false)
        || KernelVersion.Contains("linuxkit", StringComparison.OrdinalIgnoreCase);
}

public sealed record DockerPlatform
{
    public string? Name { get; init; }
}

/// <summary>GET /images/{name}/json.</summary>
public sealed record DockerImage
{
    public string Id { get; init; } = string.Empty;

    public IReadOnlyList<string>? RepoTags { get; init; }

    public string Os { get; init; } = string.Empty;

    public string Architecture { get; init; } = string.Empty;

    /// <summary>CPU variant, e.g. "v8" for linux/arm64/v8; empty when the image has none.</summary>
    public string? Variant { get; init; }

    public long Size { get; init; }
}

/// <summary>One line of the pull progress stream.</summary>
public sealed record ImagePullProgress(string? Id, string Status, string? Progress);

/// <summary>GET /networks/{id} and the entries of GET /networks.</summary>
public sealed record DockerNetwork
{
    public string Id { get; init; } = string.Empty;

    public string Name { get; init; } = string.Empty;

    public string Driver { get; init; } = string.Empty;

    [JsonPropertyName("EnableIPv6")]
    public bool EnableIpv6 { get; init; }

    public bool Internal { get; init; }

    [JsonPropertyName("IPAM")]
    public DockerIpam Ipam { get; init; } = new();

    /// <summary>Attached containers by container id (filled by inspect, empty in lists).</summary>
    public IReadOnlyDictionary<string, DockerNetworkAttachment>? Containers { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    public IReadOnlyDictionary<string, string>? Options { get; init; }
}

public sealed record DockerIpam
{
    public string Driver { get; init; } = string.Empty;

    /// <summary>Subnets in Docker's order, which mixes families in no fixed order.</summary>
    public IReadOnlyList<DockerIpamConfig>? Config { get; init; }
}

public sealed record DockerIpamConfig
{
    public string Subnet { get; init; } = string.Empty;

    public string? Gateway { get; init; }

    [JsonPropertyName("IPRange")]
    public string? IpRange { get; init; }
}

/// <summary>A container as a network sees it; addresses carry their prefix length ("10.0.0.2/24").</summary>
public sealed record DockerNetworkAttachment
{
    public string Name { get; init; } = string.Empty;

    public string? MacAddress { get; init; }

    [JsonPropertyName("IPv4Address")]
    public string? Ipv4Address { get; init; }

    [JsonPropertyName("IPv6Address")]
    public string? Ipv6Address { get; init; }
}

/// <summary>GET /containers/{id}/json.</summary>
public sealed record DockerContainer
{
    public string Id { get; init; } = string.Empty;

    /// <summary>Docker reports the name with a leading '/'; see <see cref="ShortName"/>.</summary>
    public string Name { get; init; } = string.Empty;

    public string ShortName => Name.TrimStart('/');

    /// <summary>The image id (sha256:...); the reference used at create time is in <see cref="Config"/>.</summary>
    public string Image { get; init; } = string.Empty;

    public DockerContainerState State { get; init; } = new();

    public DockerContainerConfig Config { get; init; } = new();

    public DockerHostConfig HostConfig { get; init; } = new();

    public DockerNetworkSettings NetworkSettings { get; init; } = new();
}

public sealed record DockerContainerState
{
    /// <summary>created, running, paused, restarting, removing, exited or dead.</summary>
    public string Status { get; init; } = string.Empty;

    public bool Running { get; init; }

    public bool Paused { get; init; }

    public bool Restarting { get; init; }

    [JsonPropertyName("OOMKilled")]
    public bool OomKilled { get; init; }

    public bool Dead { get; init; }

    public int Pid { get; init; }

    public int ExitCode { get; init; }

    public string? Error { get; init; }

    public string? StartedAt { get; init; }

    public string? FinishedAt { get; init; }
}

public sealed record DockerContainerConfig
{
    public string? Hostname { get; init; }

    public string? Image { get; init; }

    public IReadOnlyList<string>? Cmd { get; init; }

    public IReadOnlyList<string>? Env { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    public bool Tty { get; init; }
}

public sealed record DockerHostConfig
{
    public bool Privileged { get; init; }

    public IReadOnlyList<string>? CapAdd { get; init; }

    /// <summary>Bind and named-volume mounts in "source:target[:mode]" form.</summary>
    public IReadOnlyList<string>? Binds { get; init; }

    public string? NetworkMode { get; init; }
}

public sealed record DockerNetworkSettings
{
    /// <summary>Endpoints by network name.</summary>
    public IReadOnlyDictionary<string, DockerEndpointSettings>? Networks { get; init; }

    /// <summary>Published ports by container port ("8200/tcp"); null entries for exposed but unpublished ports.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<DockerPortBinding>?>? Ports { get; init; }
}

/// <summary>One host binding of a published container port (the port is a string on the wire).</summary>
public sealed record DockerPortBinding
{
    public string? HostIp { get; init; }

    public string? HostPort { get; init; }
}

/// <summary>A container's endpoint on one network; addresses without prefix length.</summary>
public sealed record DockerEndpointSettings
{
    [JsonPropertyName("NetworkID")]
    public string NetworkId { get; init; } = string.Empty;

    public string? Gateway { get; init; }

    [JsonPropertyName("IPAddress")]
    public string? IpAddress { get; init; }

    [JsonPropertyName("IPPrefixLen")]
    public int IpPrefixLen { get; init; }

    [JsonPropertyName("IPv6Gateway")]
    public string? Ipv6Gateway { get; init; }

    [JsonPropertyName("GlobalIPv6Address")]
    public string? GlobalIpv6Address { get; init; }

    public string? MacAddress { get; init; }

    public IReadOnlyList<string>? Aliases { get; init; }

    /// <summary>The fixed addresses asked for at create time (--ip); null when Docker picks them.</summary>
    [JsonPropertyName("IPAMConfig")]
    public DockerEndpointIpamConfig? IpamConfig { get; init; }

}

public sealed record DockerEndpointIpamConfig
{
    [JsonPropertyName("IPv4Address")]
    public string? Ipv4Address { get; init; }
}

/// <summary>An entry of GET /containers/json.</summary>
public sealed record DockerContainerSummary
{
    public string Id { get; init; } = string.Empty;

    public IReadOnlyList<string>? Names { get; init; }

    public string Image { get; init; } = string.Empty;

    /// <summary>created, running, paused, restarting, removing, exited or dead.</summary>
    public string State { get; init; } = string.Empty;

    /// <summary>Human text such as "Up 3 minutes".</summary>
    public string Status { get; init; } = string.Empty;

    public IReadOnlyDictionary<string, string>? Labels { get; init; }
}

/// <summary>What a container or exec wrote, split by stream (a TTY merges both into Stdout).</summary>
public sealed record ContainerOutput(string Stdout, string Stderr);

/// <summary>Result of a finished exec.</summary>
public sealed record ExecResult(long ExitCode, string Stdout, string Stderr)
{
    public bool Succeeded => ExitCode == 0;
}
