using System.Globalization;
using System.Net;

namespace MultiDcVault.Harness.Infrastructure.Docker;

/// <summary>Container lifecycle, inspection and logs.</summary>
public sealed class DockerContainers
{
    private readonly DockerTransport _transport;

    internal DockerContainers(DockerTransport transport) => _transport = transport;

    /// <summary>
    /// Creates (does not start) a container and returns its id. Missing image throws
    /// <see cref="DockerImageNotFoundException"/>, a taken name <see cref="DockerConflictException"/>.
    /// </summary>
    public async Task<string> CreateAsync(ContainerSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var endpoints = spec.Network is null
            ? null
            : new Dictionary<string, object>
            {
                [spec.Network] = new
                {
                    IPAMConfig = spec.Ipv4Address is null && spec.Ipv6Address is null
                        ? null
                        : new { IPv4Address = spec.Ipv4Address, IPv6Address = spec.Ipv6Address },
                    Aliases = spec.NetworkAliases.Count == 0 ? null : spec.NetworkAliases,
                },
            };
        var body = new
        {
            spec.Image,
            spec.Cmd,
            spec.Entrypoint,
            spec.Hostname,
            Env = spec.Env.Select(e => $"{e.Key}={e.Value}").ToArray(),
            spec.Labels,
            Tty = false,
            HostConfig = new
            {
                spec.Privileged,
                CapAdd = spec.CapAdd.Count == 0 ? null : spec.CapAdd,
                Binds = spec.Binds.Count == 0 ? null : spec.Binds,
                NetworkMode = spec.Network,
                RestartPolicy = new { Name = "no" },
                PortBindings = spec.PortBindings.Count == 0
                    ? null
                    : spec.PortBindings.ToDictionary(
                        p => p.Key,
                        p => new[] { new { HostIp = p.Value.HostIp, HostPort = p.Value.HostPort == 0 ? string.Empty : p.Value.HostPort.ToString(CultureInfo.InvariantCulture) } }),
            },
            ExposedPorts = spec.PortBindings.Count == 0 ? null : spec.PortBindings.Keys.ToDictionary(k => k, _ => new { }),
            NetworkingConfig = endpoints is null ? null : new { EndpointsConfig = endpoints },
        };
        var created = await _transport.PostJsonAsync<IdResponse>(
            $"containers/create?name={Uri.EscapeDataString(spec.Name)}", body, ErrorMap.ImageMissingOn404(spec.Image), cancellationToken);
        return created.Id;
    }

    /// <summary>Starts a container (no-op when it already runs).</summary>
    public Task StartAsync(string container, CancellationToken cancellationToken) =>
        _transport.SendAsync(HttpMethod.Post, $"containers/{Esc(container)}/start", null, ErrorMap.Default, cancellationToken);

    /// <summary>Sends SIGTERM, then SIGKILL after <paramref name="timeout"/> (no-op when stopped).</summary>
    public Task StopAsync(string container, TimeSpan timeout, CancellationToken cancellationToken) =>
        _transport.SendAsync(
            HttpMethod.Post,
            $"containers/{Esc(container)}/stop?t={(int)Math.Ceiling(timeout.TotalSeconds)}",
            null,
            ErrorMap.Default,
            cancellationToken,
            extraTime: timeout);

    /// <summary>Sends a signal (default SIGKILL); a stopped container answers 409.</summary>
    public Task KillAsync(string container, string signal, CancellationToken cancellationToken) =>
        _transport.SendAsync(HttpMethod.Post, $"containers/{Esc(container)}/kill?signal={Uri.EscapeDataString(signal)}", null, ErrorMap.Default, cancellationToken);

    /// <summary>Freezes every process (cgroup freezer); the container keeps its IPs.</summary>
    public Task PauseAsync(string container, CancellationToken cancellationToken) =>
        _transport.SendAsync(HttpMethod.Post, $"containers/{Esc(container)}/pause", null, ErrorMap.Default, cancellationToken);

    public Task UnpauseAsync(string container, CancellationToken cancellationToken) =>
        _transport.SendAsync(HttpMethod.Post, $"containers/{Esc(container)}/unpause", null, ErrorMap.Default, cancellationToken);

    /// <summary>Removes a container; returns false when it did not exist.</summary>
    public async Task<bool> RemoveAsync(string container, bool force, bool removeVolumes, CancellationToken cancellationToken)
    {
        try
        {
            await _transport.SendAsync(
                HttpMethod.Delete,
                $"containers/{Esc(container)}?force={Flag(force)}&v={Flag(removeVolumes)}",
                null,
                ErrorMap.Default,
                cancellationToken);
            return true;
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public Task<DockerContainer> InspectAsync(string container, CancellationToken cancellationToken) =>
        _transport.GetJsonAsync<DockerContainer>($"containers/{Esc(container)}/json", ErrorMap.Default, cancellationToken);

    /// <summary>Inspects a container; null when it does not exist.</summary>
    public async Task<DockerContainer?> TryInspectAsync(string container, CancellationToken cancellationToken)
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
    public Task<IReadOnlyList<DockerContainerSummary>> ListAsync(IReadOnlyDictionary<string, string?> labels, CancellationToken cancellationToken) =>
        _transport.GetJsonAsync<IReadOnlyList<DockerContainerSummary>>(
            "containers/json?all=true&" + DockerLabelFilter.Query(DockerLabelFilter.Selectors(labels)), ErrorMap.Default, cancellationToken);

    /// <summary>Reads the container's logs so far, split into stdout and stderr.</summary>
    /// <param name="tail">Only the last N lines; null for all.</param>
    public async Task<ContainerOutput> LogsAsync(string container, int? tail, CancellationToken cancellationToken)
    {
        // With a TTY the daemon sends raw bytes instead of frames; the demultiplexer needs to know.
        var inspected = await InspectAsync(container, cancellationToken);
        var tailQuery = tail is null ? "all" : tail.Value.ToString(CultureInfo.InvariantCulture);
        using var response = await _transport.OpenStreamAsync(
            HttpMethod.Get, $"containers/{Esc(container)}/logs?stdout=true&stderr=true&tail={tailQuery}", null, ErrorMap.Default, cancellationToken);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        if (inspected.Config.Tty)
        {
            using var reader = new StreamReader(stream);
            return new ContainerOutput(await reader.ReadToEndAsync(cancellationToken), string.Empty);
        }

        return await DockerStreamDemultiplexer.ReadAllAsync(stream, cancellationToken);
    }

    private static string Esc(string value) => Uri.EscapeDataString(value);

    private static string Flag(bool value) => value ? "true" : "false";
}
