using System.Globalization;
using System.Net;
using Docker.DotNet.Models;
using Engine = Docker.DotNet;

namespace MultiDcVault.Harness.Infrastructure.Docker;

/// <summary>Container lifecycle, inspection and logs.</summary>
internal sealed class DockerContainers
{
    private readonly Engine.DockerClient _engine;
    private readonly DockerCalls _calls;

    internal DockerContainers(Engine.DockerClient engine, DockerCalls calls)
    {
        _engine = engine;
        _calls = calls;
    }

    /// <summary>
    /// Creates (does not start) a container and returns its id. Missing image throws
    /// <see cref="DockerImageNotFoundException"/>, a taken name <see cref="DockerConflictException"/>.
    /// </summary>
    public async Task<string> CreateAsync(ContainerDefinition spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var created = await _calls.RunAsync(
            "POST /containers/create",
            ct => _engine.Containers.CreateContainerAsync(Parameters(spec), ct),
            cancellationToken,
            DockerErrors.ImageMissingOn404(spec.Image));
        return created.ID;
    }

    /// <summary>Starts a container (no-op when it already runs).</summary>
    public Task StartAsync(string container, CancellationToken cancellationToken) =>
        _calls.RunAsync($"POST /containers/{container}/start", ct => _engine.Containers.StartContainerAsync(container, null, ct), cancellationToken);

    /// <summary>Sends SIGTERM, then SIGKILL after <paramref name="timeout"/>, at least one second (no-op when stopped).</summary>
    /// <remarks>The library drops a zero wait from the query (QueryString.cs, v4.3.3), and the engine then waits the container's own stop timeout.</remarks>
    public Task StopAsync(string container, TimeSpan timeout, CancellationToken cancellationToken) =>
        _calls.RunAsync(
            $"POST /containers/{container}/stop",
            ct => _engine.Containers.StopContainerAsync(container, new ContainerStopParameters { WaitBeforeKillSeconds = (uint)Math.Max(1, Math.Ceiling(timeout.TotalSeconds)) }, ct),
            cancellationToken,
            extraTime: timeout);

    /// <summary>Sends a signal (default SIGKILL); a stopped container answers 409.</summary>
    public Task KillAsync(string container, string signal, CancellationToken cancellationToken) =>
        _calls.RunAsync($"POST /containers/{container}/kill", ct => _engine.Containers.KillContainerAsync(container, new ContainerKillParameters { Signal = signal }, ct), cancellationToken);

    /// <summary>Freezes every process (cgroup freezer); the container keeps its IPs.</summary>
    public Task PauseAsync(string container, CancellationToken cancellationToken) =>
        _calls.RunAsync($"POST /containers/{container}/pause", ct => _engine.Containers.PauseContainerAsync(container, ct), cancellationToken);

    public Task UnpauseAsync(string container, CancellationToken cancellationToken) =>
        _calls.RunAsync($"POST /containers/{container}/unpause", ct => _engine.Containers.UnpauseContainerAsync(container, ct), cancellationToken);

    /// <summary>Removes a container; returns false when it did not exist.</summary>
    public async Task<bool> RemoveAsync(string container, bool force, bool removeVolumes, CancellationToken cancellationToken)
    {
        try
        {
            await _calls.RunAsync(
                $"DELETE /containers/{container}",
                ct => _engine.Containers.RemoveContainerAsync(container, new ContainerRemoveParameters { Force = force, RemoveVolumes = removeVolumes }, ct),
                cancellationToken);
            return true;
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public Task<ContainerInspectResponse> InspectAsync(string container, CancellationToken cancellationToken) =>
        _calls.RunAsync($"GET /containers/{container}/json", ct => _engine.Containers.InspectContainerAsync(container, ct), cancellationToken);

    /// <summary>Inspects a container; null when it does not exist.</summary>
    public async Task<ContainerInspectResponse?> TryInspectAsync(string container, CancellationToken cancellationToken)
    {
        try
        {
            return await InspectAsync(container, cancellationToken);
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Lists containers (running or not) carrying all given labels (value null = any value).</summary>
    public async Task<IReadOnlyList<ContainerListResponse>> ListAsync(IReadOnlyDictionary<string, string?> labels, CancellationToken cancellationToken) =>
        [.. await _calls.RunAsync(
            "GET /containers/json",
            ct => _engine.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = DockerLabelFilter.Of(labels) }, ct),
            cancellationToken)];

    /// <summary>Reads the container's logs so far, split into stdout and stderr (raw when it has a TTY).</summary>
    /// <param name="tail">Only the last N lines; null for all.</param>
    public Task<ContainerOutput> LogsAsync(string container, int? tail, CancellationToken cancellationToken) =>
        _calls.StreamAsync(
            $"GET /containers/{container}/logs",
            async ct =>
            {
                var parameters = new ContainerLogsParameters
                {
                    ShowStdout = true,
                    ShowStderr = true,
                    Tail = tail is null ? "all" : tail.Value.ToString(CultureInfo.InvariantCulture),
                };
                using var stream = await _engine.Containers.GetContainerLogsAsync(container, parameters, ct);
                var (stdout, stderr) = await stream.ReadOutputToEndAsync(ct);
                return new ContainerOutput(stdout, stderr);
            },
            cancellationToken);

    private static CreateContainerParameters Parameters(ContainerDefinition spec) => new()
    {
        Name = spec.Name,
        Image = spec.Image,
        Cmd = spec.Cmd?.ToList()!,
        Entrypoint = spec.Entrypoint?.ToList()!,
        Hostname = spec.Hostname!,
        Env = [.. spec.Env.Select(e => $"{e.Key}={e.Value}")],
        Labels = spec.Labels.ToDictionary(),
        Tty = false,
        ExposedPorts = spec.PortBindings.Count == 0 ? null : spec.PortBindings.Keys.ToDictionary(k => k, _ => default(EmptyStruct)),
        HostConfig = new HostConfig
        {
            Privileged = spec.Privileged,
            CapAdd = spec.CapAdd.Count == 0 ? null! : [.. spec.CapAdd],
            Binds = spec.Binds.Count == 0 ? null! : [.. spec.Binds],
            NetworkMode = spec.Network!,
            // The harness decides about restarts.
            RestartPolicy = new RestartPolicy { Name = RestartPolicyKind.No },
            PortBindings = spec.PortBindings.Count == 0
                ? null!
                : spec.PortBindings.ToDictionary(
                    p => p.Key,
                    p => (IList<PortBinding>)[new PortBinding { HostIP = p.Value.HostIp, HostPort = p.Value.HostPort == 0 ? string.Empty : p.Value.HostPort.ToString(CultureInfo.InvariantCulture) }]),
        },
        NetworkingConfig = spec.Network is null
            ? null
            : new NetworkingConfig
            {
                EndpointsConfig = new Dictionary<string, EndpointSettings>
                {
                    [spec.Network] = new()
                    {
                        IPAMConfig = spec.Ipv4Address is null && spec.Ipv6Address is null
                            ? null
                            : new EndpointIPAMConfig { IPv4Address = spec.Ipv4Address!, IPv6Address = spec.Ipv6Address! },
                        Aliases = spec.NetworkAliases.Count == 0 ? null! : [.. spec.NetworkAliases],
                    },
                },
            },
    };
}
