using Docker.DotNet.Models;
using MultiDcVault.Harness.Clusters.Docker;
using System.Globalization;
using MultiDcVault.Harness.Infrastructure.Docker;

namespace MultiDcVault.Harness.Components.Kms;

/// <summary>
/// Runs the central Vault as a Docker container on the shared network, its storage on a labelled named volume. Where container IPs are not
/// reachable from the host (Docker Desktop) it also publishes 8200 on 127.0.0.1 (a free port) and the
/// harness talks to that; the clusters always use the container's network IP.
/// </summary>
public sealed class DockerCentralVaultHost(DockerConnection connection, string network, bool publishOnLoopback) : ICentralVaultContainerHost
{
    private const string VaultPort = "8200/tcp";

    /// <summary>How long Vault gets to shut down cleanly on stop before Docker kills it.</summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);

    public async Task<CentralVaultContainerInfo?> FindRunningAsync(string name, CancellationToken cancellationToken)
    {
        var docker = await connection.GetAsync(cancellationToken);
        var container = await docker.Containers.TryInspectAsync(name, cancellationToken);
        return container is { State.Running: true } ? Describe(container) : null;
    }

    public async Task<bool> ExistsAsync(string name, CancellationToken cancellationToken) =>
        await (await connection.GetAsync(cancellationToken)).Containers.TryInspectAsync(name, cancellationToken) is not null;

    public async Task<CentralVaultContainerInfo> StartAsync(CentralVaultContainerSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var docker = await connection.GetAsync(cancellationToken);
        if (!await docker.Images.ExistsAsync(spec.Image, cancellationToken))
        {
            await docker.Images.PullAsync(spec.Image, null, cancellationToken);
        }

        await docker.Volumes.CreateAsync(spec.DataVolume, spec.Labels, cancellationToken);
        var container = new ContainerDefinition(spec.Name, spec.Image)
        {
            Cmd = spec.Command,
            Env = spec.Environment,
            CapAdd = spec.CapAdd,
            Labels = spec.Labels,
            Network = spec.Network,
            Ipv4Address = spec.Ipv4Address,
            Binds = [$"{spec.DataVolume}:{spec.DataMountPath}"],
            PortBindings = publishOnLoopback
                ? new Dictionary<string, PublishedPort> { [VaultPort] = new PublishedPort("127.0.0.1", 0) }
                : new Dictionary<string, PublishedPort>(),
        };

        string id;
        try
        {
            id = await docker.Containers.CreateAsync(container, cancellationToken);
        }
        catch (DockerApiException e) when (spec.Ipv4Address is not null && e.DaemonMessage.Contains("user specified IP address", StringComparison.OrdinalIgnoreCase))
        {
            // A network without a user-configured subnet takes no fixed address; Docker then picks one,
            // which a restart of the container may change (StartAgainAsync detects that).
            id = await docker.Containers.CreateAsync(container with { Ipv4Address = null }, cancellationToken);
        }

        await docker.Containers.StartAsync(id, cancellationToken);
        return Describe(await docker.Containers.InspectAsync(id, cancellationToken));
    }

    public async Task<CentralVaultContainerInfo> RestartStoppedAsync(string name, CancellationToken cancellationToken)
    {
        var docker = await connection.GetAsync(cancellationToken);
        await docker.Containers.StartAsync(name, cancellationToken);
        return Describe(await docker.Containers.InspectAsync(name, cancellationToken));
    }

    public async Task StopAsync(string name, CancellationToken cancellationToken)
    {
        var docker = await connection.GetAsync(cancellationToken);
        if (await docker.Containers.TryInspectAsync(name, cancellationToken) is { State.Running: true })
        {
            await docker.Containers.StopAsync(name, StopGrace, cancellationToken);
        }
    }

    public async Task<CentralVaultRemoval> RemoveAsync(string name, string dataVolume, CancellationToken cancellationToken)
    {
        var docker = await connection.GetAsync(cancellationToken);
        var removedContainer = await docker.Containers.RemoveAsync(name, force: true, removeVolumes: true, cancellationToken);
        var removedVolume = await docker.Volumes.RemoveAsync(dataVolume, force: false, cancellationToken);
        return new CentralVaultRemoval(removedContainer, removedVolume);
    }

    public async Task<string> GetLogsAsync(string name, CancellationToken cancellationToken)
    {
        var output = await (await connection.GetAsync(cancellationToken)).Containers.LogsAsync(name, 200, cancellationToken);
        return output.Stdout + output.Stderr;
    }

    private CentralVaultContainerInfo Describe(ContainerInspectResponse container)
    {
        var endpoint = container.NetworkSettings?.Networks is { } networks && networks.TryGetValue(network, out var found) ? found : null;
        var ip = endpoint?.IPAddress;
        if (string.IsNullOrEmpty(ip))
        {
            throw new InvalidOperationException(
                $"The central Vault container {container.Name.TrimStart('/')} has no IPv4 address on network '{network}'. " +
                $"Check `docker inspect {container.Name.TrimStart('/')}`; remove it with `docker rm -f {container.Name.TrimStart('/')}` and run up again.");
        }

        var hostAddress = new Uri($"http://{ip}:8200");
        if (publishOnLoopback)
        {
            var binding = (container.NetworkSettings?.Ports is { } ports && ports.TryGetValue(VaultPort, out var bindings) ? bindings : null)?.FirstOrDefault(b => !string.IsNullOrEmpty(b.HostPort))
                ?? throw new InvalidOperationException(
                    $"The central Vault container {container.Name.TrimStart('/')} does not publish {VaultPort} on the host, so this process cannot reach it " +
                    $"through Docker Desktop. Remove it (`docker rm -f {container.Name.TrimStart('/')}`) and run up again.");
            hostAddress = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{binding.HostPort}"));
        }

        return new CentralVaultContainerInfo(container.ID, ip, hostAddress) { FixedAddress = endpoint?.IPAMConfig?.IPv4Address == ip };
    }
}
