using System.Net.Http.Json;

namespace MultiDcVault.Harness.Infrastructure.Docker;

/// <summary>
/// Typed Docker Engine API client. Create it with <see cref="ConnectAsync(CancellationToken)"/>,
/// which finds the engine, pings it and negotiates the API version; then use
/// <see cref="Images"/>, <see cref="Networks"/>, <see cref="Containers"/> and <see cref="Exec"/>.
/// </summary>
public sealed class DockerClient : IDisposable
{
    private readonly DockerTransport _transport;

    private DockerClient(DockerTransport transport)
    {
        _transport = transport;
        Images = new DockerImages(transport);
        Networks = new DockerNetworks(transport);
        Containers = new DockerContainers(transport);
        Exec = new DockerExec(transport);
        Volumes = new DockerVolumes(transport);
    }

    public DockerEndpoint Endpoint => _transport.Endpoint;

    /// <summary>The version every request uses: min(ours, server's).</summary>
    public DockerApiVersion ApiVersion => _transport.ApiVersion;

    /// <summary>The version the server reported in its /_ping answer.</summary>
    public DockerApiVersion ServerApiVersion { get; private set; }

    public DockerImages Images { get; }

    public DockerNetworks Networks { get; }

    public DockerContainers Containers { get; }

    public DockerExec Exec { get; }

    public DockerVolumes Volumes { get; }

    /// <summary>Finds the engine (see <see cref="DockerEndpointResolver"/>) and connects to it.</summary>
    public static Task<DockerClient> ConnectAsync(CancellationToken cancellationToken) =>
        ConnectAsync(new DockerEndpointResolver().Resolve(), new DockerClientOptions(), cancellationToken);

    /// <summary>
    /// Connects to a resolved endpoint: pings it, negotiates the API version, and throws
    /// <see cref="DockerUnavailableException"/> (listing where it looked) when nothing answers.
    /// </summary>
    public static async Task<DockerClient> ConnectAsync(DockerEndpointResolution resolution, DockerClientOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resolution);
        ArgumentNullException.ThrowIfNull(options);
        var client = new DockerClient(new DockerTransport(resolution.Endpoint, resolution.PlacesLooked, options));
        try
        {
            await client.NegotiateAsync(options.MaxApiVersion, cancellationToken);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>GET /_ping (unversioned): true when the engine says OK.</summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        using var response = await _transport.SendUnversionedAsync(HttpMethod.Get, "_ping", cancellationToken);
        return string.Equals((await response.Content.ReadAsStringAsync(cancellationToken)).Trim(), "OK", StringComparison.Ordinal);
    }

    public Task<DockerVersionInfo> VersionAsync(CancellationToken cancellationToken) =>
        _transport.GetJsonAsync<DockerVersionInfo>("version", ErrorMap.Default, cancellationToken);

    public void Dispose() => _transport.Dispose();

    private async Task NegotiateAsync(DockerApiVersion ours, CancellationToken cancellationToken)
    {
        using var response = await _transport.SendUnversionedAsync(HttpMethod.Get, "_ping", cancellationToken);
        var header = response.Headers.TryGetValues("Api-Version", out var values) ? values.FirstOrDefault() : null;
        if (!DockerApiVersion.TryParse(header, out var server))
        {
            // Only very old daemons omit the header; the version endpoint of the oldest API we accept tells us more.
            _transport.ApiVersion = DockerApiVersion.Oldest;
            var version = await _transport.GetJsonAsync<DockerVersionInfo>("version", ErrorMap.Default, cancellationToken);
            server = DockerApiVersion.TryParse(version.ApiVersion, out var reported) ? reported : DockerApiVersion.Oldest;
        }

        if (server < DockerApiVersion.Oldest)
        {
            throw new DockerUnavailableException(
                $"The Docker engine at {Endpoint} speaks API {server}, older than {DockerApiVersion.Oldest} (Docker 20.10) which this harness needs. Upgrade Docker.",
                _transport.PlacesLooked);
        }

        ServerApiVersion = server;
        _transport.ApiVersion = DockerApiVersion.Negotiate(ours, server);
    }
}
