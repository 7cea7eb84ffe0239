using Docker.DotNet.Models;
using Engine = Docker.DotNet;

namespace MultiDcVault.Harness.Infrastructure.Docker;

/// <summary>
/// The harness's Docker Engine client: Docker.DotNet underneath, with what it lacks on top —
/// our endpoint discovery (so the harness and kind talk to the same engine), API version
/// negotiation, per-request timeouts on the caller's clock and actionable errors. Create it with
/// <see cref="ConnectAsync(CancellationToken)"/>; then use <see cref="Images"/>,
/// <see cref="Networks"/>, <see cref="Containers"/>, <see cref="Exec"/> and <see cref="Volumes"/>.
/// </summary>
internal sealed class DockerClient : IDisposable
{
    private readonly Engine.DockerClient _engine;
    private readonly DockerCalls _calls;

    private DockerClient(Engine.DockerClient engine, DockerCalls calls, DockerApiVersion apiVersion, DockerApiVersion serverApiVersion)
    {
        _engine = engine;
        _calls = calls;
        ApiVersion = apiVersion;
        ServerApiVersion = serverApiVersion;
        Images = new DockerImages(engine, calls);
        Networks = new DockerNetworks(engine, calls, serverApiVersion);
        Containers = new DockerContainers(engine, calls);
        Exec = new DockerExec(engine, calls);
        Volumes = new DockerVolumes(engine, calls);
    }

    public DockerEndpoint Endpoint => _calls.Endpoint;

    /// <summary>The version every request uses: min(ours, server's).</summary>
    public DockerApiVersion ApiVersion { get; }

    /// <summary>The newest version the server speaks (its /version answer).</summary>
    public DockerApiVersion ServerApiVersion { get; }

    public DockerImages Images { get; }

    public DockerNetworks Networks { get; }

    public DockerContainers Containers { get; }

    public DockerExec Exec { get; }

    public DockerVolumes Volumes { get; }

    /// <summary>This engine and version, in the form Testcontainers builders take (<c>WithDockerEndpoint</c>).</summary>
    public DotNet.Testcontainers.Configurations.IDockerEndpointAuthenticationConfiguration TestcontainersEndpoint =>
        new TestcontainersEndpoint(Endpoint, ApiVersion);

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
        var calls = new DockerCalls(resolution.Endpoint, resolution.PlacesLooked, options);

        // Unversioned requests are answered at the server's own version, so the first client can
        // ask any engine what it speaks; the second pins min(ours, server's) on every path.
        VersionResponse version;
        using (var unversioned = Build(resolution.Endpoint, null))
        {
            await calls.RunAsync("GET /_ping", ct => unversioned.System.PingAsync(ct), cancellationToken);
            version = await calls.RunAsync("GET /version", ct => unversioned.System.GetVersionAsync(ct), cancellationToken);
        }

        var server = DockerApiVersion.TryParse(version.APIVersion, out var reported) ? reported : DockerApiVersion.Oldest;
        if (server < DockerApiVersion.Oldest)
        {
            throw new DockerUnavailableException(
                $"The Docker engine at {resolution.Endpoint} speaks API {server}, older than {DockerApiVersion.Oldest} (Docker 20.10) which this harness needs. Upgrade Docker.",
                resolution.PlacesLooked);
        }

        var negotiated = DockerApiVersion.Negotiate(options.MaxApiVersion, server);
        return new DockerClient(Build(resolution.Endpoint, new System.Version(negotiated.Major, negotiated.Minor)), calls, negotiated, server);
    }

    /// <summary>GET /_ping: true when the engine answers.</summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        await _calls.RunAsync("GET /_ping", ct => _engine.System.PingAsync(ct), cancellationToken);
        return true;
    }

    public Task<VersionResponse> VersionAsync(CancellationToken cancellationToken) =>
        _calls.RunAsync("GET /version", ct => _engine.System.GetVersionAsync(ct), cancellationToken);

    public void Dispose() => _engine.Dispose();

    private static Engine.DockerClient Build(DockerEndpoint endpoint, System.Version? apiVersion) =>
        DockerClientBuilders.For(endpoint, apiVersion).Build();
}
