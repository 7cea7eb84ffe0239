namespace MultiDcVault.Harness.Components.Kms;

/// <summary>
/// The little a container runtime must do for <see cref="CentralVault"/>. The orchestration adapts the
/// Docker Engine client to it, which keeps the Vault folder free of Docker types.
/// </summary>
internal interface ICentralVaultContainerHost
{
    /// <summary>The running container called <paramref name="name"/>, or null when there is none or it is stopped.</summary>
    Task<CentralVaultContainerInfo?> FindRunningAsync(string name, CancellationToken cancellationToken);

    /// <summary>True when a container called <paramref name="name"/> exists, running or not.</summary>
    Task<bool> ExistsAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// Creates the labelled data volume (or keeps the existing one), creates and starts the container
    /// (pulling is the host's business) and returns how to reach it.
    /// </summary>
    Task<CentralVaultContainerInfo> StartAsync(CentralVaultContainerSpec spec, CancellationToken cancellationToken);

    /// <summary>Starts the existing, stopped container again (same volume, same address) and returns how to reach it.</summary>
    Task<CentralVaultContainerInfo> RestartStoppedAsync(string name, CancellationToken cancellationToken);

    /// <summary>Stops the container (its volume keeps the storage); no error when it is not running.</summary>
    Task StopAsync(string name, CancellationToken cancellationToken);

    /// <summary>Force-removes the container and then its data volume, and says which of the two existed.</summary>
    Task<CentralVaultRemoval> RemoveAsync(string name, string dataVolume, CancellationToken cancellationToken);

    /// <summary>The container's combined stdout/stderr (tail), for error messages; the caller redacts it.</summary>
    Task<string> GetLogsAsync(string name, CancellationToken cancellationToken);
}

/// <summary>
/// What to run. Nothing in it is secret: the root token and unseal key come from sys/init and never
/// reach the container's configuration, so `docker inspect` shows no credential.
/// </summary>
/// <param name="Name">Container name.</param>
/// <param name="Image">Vault image.</param>
/// <param name="Network">Shared Docker network.</param>
/// <param name="Ipv4Address">Fixed address on <paramref name="Network"/> (the in-cluster seal stanzas name it, so a restart must keep it); null lets Docker pick.</param>
/// <param name="Environment">Environment variables (the server configuration among them).</param>
/// <param name="Command">Command given to the image's entrypoint.</param>
/// <param name="CapAdd">Linux capabilities to add.</param>
/// <param name="Labels">Labels for the container and its volume.</param>
/// <param name="DataVolume">Named volume holding Vault's storage.</param>
/// <param name="DataMountPath">Where <paramref name="DataVolume"/> is mounted in the container.</param>
internal sealed record CentralVaultContainerSpec(
    string Name,
    string Image,
    string Network,
    string? Ipv4Address,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyList<string> Command,
    IReadOnlyList<string> CapAdd,
    IReadOnlyDictionary<string, string> Labels,
    string DataVolume,
    string DataMountPath);

/// <summary>What a removal found and removed.</summary>
internal sealed record CentralVaultRemoval(bool Container, bool Volume)
{
    public bool Any => Container || Volume;
}

/// <param name="ContainerId">Runtime id of the container.</param>
/// <param name="NetworkIp">Its IPv4 address on the shared network (what kind nodes and pods use).</param>
/// <param name="HostAddress">Base URL the harness process can reach Vault at (the network IP on Linux; a published port elsewhere).</param>
internal sealed record CentralVaultContainerInfo(string ContainerId, string NetworkIp, Uri HostAddress)
{
    /// <summary>True when the address was fixed at create time, so a restart keeps it; false when Docker picked it.</summary>
    public bool FixedAddress { get; init; }
}
