using MultiDcVault.Harness.Secrets;

namespace MultiDcVault.Harness.Vault;

/// <summary>
/// The little a container runtime must do for <see cref="CentralVault"/>. The orchestration adapts the
/// Docker Engine client to it, which keeps the Vault folder free of Docker types.
/// </summary>
public interface ICentralVaultContainerHost
{
    /// <summary>The running container called <paramref name="name"/>, or null when there is none (or it is stopped).</summary>
    Task<CentralVaultContainerInfo?> FindRunningAsync(string name, CancellationToken cancellationToken);

    /// <summary>Creates and starts the container (pulling is the host's business) and returns how to reach it.</summary>
    Task<CentralVaultContainerInfo> StartAsync(CentralVaultContainerSpec spec, CancellationToken cancellationToken);

    /// <summary>Force-removes the container if it exists; no error when it does not.</summary>
    Task RemoveAsync(string name, CancellationToken cancellationToken);

    /// <summary>The container's combined stdout/stderr (tail), for error messages; the caller redacts it.</summary>
    Task<string> GetLogsAsync(string name, CancellationToken cancellationToken);
}

/// <summary>What to run. <see cref="SecretEnvironment"/> values must reach the container only as environment variables.</summary>
public sealed record CentralVaultContainerSpec(
    string Name,
    string Image,
    string Network,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyDictionary<string, SecretValue> SecretEnvironment,
    IReadOnlyList<string> CapAdd,
    IReadOnlyDictionary<string, string> Labels);

/// <param name="ContainerId">Runtime id of the container.</param>
/// <param name="NetworkIp">Its IPv4 address on the shared network (what kind nodes and pods use).</param>
/// <param name="HostAddress">Base URL the harness process can reach Vault at (the network IP on Linux; a published port elsewhere).</param>
public sealed record CentralVaultContainerInfo(string ContainerId, string NetworkIp, Uri HostAddress);
