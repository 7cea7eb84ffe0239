using System.Globalization;
using Docker.DotNet.Models;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;
using DotNet.Testcontainers.Containers;
using DotNet.Testcontainers.Images;
using Microsoft.Extensions.Logging;
using MultiDcVault.Harness.Clusters.Docker;
using MultiDcVault.Harness.Infrastructure.Docker;
using MultiDcVault.Harness.Infrastructure.Secrets;
using Engine = Docker.DotNet;

namespace MultiDcVault.Harness.Components.Kms;

/// <summary>
/// Runs the central Vault as a Docker container on the shared network, its storage on a labelled named volume. Where container IPs are not
/// reachable from the host (Docker Desktop) it also publishes 8200 on 127.0.0.1 (a free port) and the
/// harness talks to that; the clusters always use the container's network IP.
/// </summary>
/// <param name="connection">The Docker engine.</param>
/// <param name="network">The shared network.</param>
/// <param name="publishOnLoopback">Publish 8200 on 127.0.0.1 because container IPs are not reachable from the host.</param>
/// <param name="reapAfterCrash">Let Testcontainers' reaper remove the container if this process dies (not when the environment is kept).</param>
/// <param name="logger">Where Testcontainers' log lines go.</param>
internal sealed class DockerCentralVaultHost(DockerConnection connection, string network, bool publishOnLoopback, bool reapAfterCrash, ILogger logger)
    : ICentralVaultContainerHost
{
    private const int VaultPortNumber = 8200;
    private const string VaultPort = "8200/tcp";

    /// <summary>How long the listener gets to come up; a pulled image is already local by then.</summary>
    private static readonly TimeSpan ListenerTimeout = TimeSpan.FromMinutes(2);

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

        // Our volume, with our labels, so `down` and the sweeper find it; Testcontainers would make an unlabelled one.
        await docker.Volumes.CreateAsync(spec.DataVolume, spec.Labels, cancellationToken);
        IContainer container;
        try
        {
            container = await StartContainerAsync(docker, spec, spec.Ipv4Address, cancellationToken);
        }
        catch (Engine.DockerApiException e) when (spec.Ipv4Address is not null && (e.ResponseBody ?? string.Empty).Contains("user specified IP address", StringComparison.OrdinalIgnoreCase))
        {
            // A network without a user-configured subnet takes no fixed address; Docker then picks one,
            // which a restart of the container may change (StartAgainAsync detects that).
            await docker.Containers.RemoveAsync(spec.Name, force: true, removeVolumes: false, cancellationToken);
            container = await StartContainerAsync(docker, spec, null, cancellationToken);
        }

        return Describe(await docker.Containers.InspectAsync(container.Id, cancellationToken));
    }

    /// <summary>
    /// Creates and starts the container through Testcontainers: it pulls a missing image, labels the
    /// container, and waits until Vault's listener answers sys/health (initialising and unsealing it is
    /// CentralVault's job). The container outlives this process when the environment is kept.
    /// </summary>
    private async Task<IContainer> StartContainerAsync(DockerClient docker, CentralVaultContainerSpec spec, string? ipv4Address, CancellationToken cancellationToken)
    {
        var builder = new ContainerBuilder(spec.Image)
            .WithDockerEndpoint(docker.TestcontainersEndpoint)
            .WithImagePullPolicy(PullPolicy.Missing)
            .WithName(spec.Name)
            .WithCommand([.. spec.Command])
            .WithEnvironment(spec.Environment)
            .WithLabel(spec.Labels)
            .WithNetwork(spec.Network)
            .WithVolumeMount(spec.DataVolume, spec.DataMountPath)
            .WithCleanUp(reapAfterCrash)
            .WithLogger(logger)
            .WithCreateParameterModifier(create => Complete(create, spec, ipv4Address))
            .WithWaitStrategy(Wait.ForUnixContainer().AddCustomWaitStrategy(
                new UntilVaultAnswers(this, docker), wait => wait.WithTimeout(ListenerTimeout)));
        if (publishOnLoopback)
        {
            builder = builder.WithPortBinding(VaultPortNumber, assignRandomHostPort: true);
        }

        var container = builder.Build();
        try
        {
            await container.StartAsync(cancellationToken);
        }
        catch (ContainerNotRunningException)
        {
            // Testcontainers' own message carries the logs unredacted: say it ourselves.
            var logs = string.Join('\n', (await GetLogsAsync(spec.Name, cancellationToken)).Split('\n').TakeLast(40));
            throw new InvalidOperationException(Redactor.Default.Redact(
                $"The central Vault container {spec.Name} (image {spec.Image}) exited before its listener answered on sys/health. " +
                $"Check that the image is a hashicorp/vault server image. Container logs (tail):{System.Environment.NewLine}{logs}"));
        }

        return container;
    }

    // What the builder has no method for: capabilities, the fixed address, and a loopback-only published port.
    private void Complete(CreateContainerParameters create, CentralVaultContainerSpec spec, string? ipv4Address)
    {
        create.HostConfig ??= new HostConfig();
        create.HostConfig.CapAdd = [.. spec.CapAdd];
        create.HostConfig.RestartPolicy = new RestartPolicy { Name = RestartPolicyKind.No };
        if (ipv4Address is not null && create.NetworkingConfig?.EndpointsConfig is { } endpoints && endpoints.TryGetValue(spec.Network, out var endpoint))
        {
            endpoint.IPAMConfig = new EndpointIPAMConfig { IPv4Address = ipv4Address };
        }

        if (publishOnLoopback && create.HostConfig.PortBindings is { } bindings)
        {
            foreach (var binding in bindings.Values.SelectMany(b => b))
            {
                binding.HostIP = "127.0.0.1";
            }
        }
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
        var removedVolume = await docker.Volumes.RemoveAsync(dataVolume, cancellationToken);
        return new CentralVaultRemoval(removedContainer, removedVolume);
    }

    public async Task<string> GetLogsAsync(string name, CancellationToken cancellationToken)
    {
        var output = await (await connection.GetAsync(cancellationToken)).Containers.LogsAsync(name, 200, cancellationToken);
        return output.Stdout + output.Stderr;
    }

    /// <summary>
    /// Done when Vault's listener answers sys/health at the address the harness will use, with any
    /// status (a fresh server answers 501, not initialised). Testcontainers itself ends the wait when
    /// the container exits.
    /// </summary>
    private sealed class UntilVaultAnswers(DockerCentralVaultHost host, DockerClient docker) : IWaitUntil
    {
        private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(2) };

        public async Task<bool> UntilAsync(IContainer container)
        {
            var inspected = await docker.Containers.InspectAsync(container.Id, CancellationToken.None);
            try
            {
                using var answer = await Http.GetAsync(new Uri(host.Describe(inspected).HostAddress, "v1/sys/health"));
                return true;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException)
            {
                return false;
            }
        }
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
