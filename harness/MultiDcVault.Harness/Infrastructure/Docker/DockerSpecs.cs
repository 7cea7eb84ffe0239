namespace MultiDcVault.Harness.Infrastructure.Docker;

// What callers ask for. Kept separate from the wire shapes so callers state intent, not JSON.

/// <summary>One IPAM config of a network to create: a subnet in CIDR form and, optionally, its gateway.</summary>
internal sealed record NetworkSubnet(string Subnet, string? Gateway);

/// <summary>A bridge network to create.</summary>
internal sealed record NetworkDefinition(string Name)
{
    public string Driver { get; init; } = "bridge";

    /// <summary>IPAM configs (either family); empty lets Docker pick an IPv4 subnet.</summary>
    public IReadOnlyList<NetworkSubnet> Subnets { get; init; } = [];

    /// <summary>Null means "on when any subnet is IPv6".</summary>
    public bool? EnableIpv6 { get; init; }

    public bool Internal { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Driver options, e.g. com.docker.network.driver.mtu.</summary>
    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();

    internal bool Ipv6Enabled => EnableIpv6 ?? Subnets.Any(s => s.Subnet.Contains(':', StringComparison.Ordinal));
}

/// <summary>A container to create (restart policy is always "no": the harness decides about restarts).</summary>
internal sealed record ContainerDefinition(string Name, string Image)
{
    /// <summary>Command (null keeps the image's CMD).</summary>
    public IReadOnlyList<string>? Cmd { get; init; }

    /// <summary>Entrypoint (null keeps the image's).</summary>
    public IReadOnlyList<string>? Entrypoint { get; init; }

    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<string> CapAdd { get; init; } = [];

    public bool Privileged { get; init; }

    public string? Hostname { get; init; }

    /// <summary>Bind mounts in Docker's "host-path:container-path[:ro]" form.</summary>
    public IReadOnlyList<string> Binds { get; init; } = [];

    /// <summary>Network to attach at creation (null: Docker's default bridge).</summary>
    public string? Network { get; init; }

    /// <summary>Fixed IPv4 on <see cref="Network"/>; needs a network with a user-configured subnet.</summary>
    public string? Ipv4Address { get; init; }

    /// <summary>Fixed IPv6 on <see cref="Network"/>.</summary>
    public string? Ipv6Address { get; init; }

    public IReadOnlyList<string> NetworkAliases { get; init; } = [];

    /// <summary>Container ports ("8200/tcp") published on the host; a binding with port 0 lets Docker pick a free one.</summary>
    public IReadOnlyDictionary<string, PublishedPort> PortBindings { get; init; } = new Dictionary<string, PublishedPort>();
}

/// <summary>Where a container port is published on the host, e.g. 127.0.0.1 and 0 (any free port).</summary>
internal sealed record PublishedPort(string HostIp, int HostPort);

/// <summary>How to run a command inside a running container.</summary>
internal sealed record ExecOptions
{
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    public string? User { get; init; }

    public string? WorkingDir { get; init; }

    public bool Privileged { get; init; }
}
