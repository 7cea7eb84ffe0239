using System.Globalization;

namespace MultiDcVault.Harness.Infrastructure.Docker;

internal enum DockerTransportKind
{
    UnixSocket,
    Tcp,
}

/// <summary>Where a Docker engine listens, and which configuration source named it.</summary>
internal sealed record DockerEndpoint
{
    public const int DefaultTcpPort = 2375;

    private DockerEndpoint(DockerTransportKind kind, string address, int port, string source)
    {
        Kind = kind;
        Address = address;
        Port = port;
        Source = source;
    }

    public DockerTransportKind Kind { get; }

    /// <summary>The socket path (unix) or the host name / IP (tcp).</summary>
    public string Address { get; }

    /// <summary>TCP port; 0 for unix sockets.</summary>
    public int Port { get; }

    /// <summary>Which setting produced this endpoint, e.g. "DOCKER_HOST" or "docker context 'colima'".</summary>
    public string Source { get; }

    public static DockerEndpoint UnixSocket(string path, string source)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new DockerEndpoint(DockerTransportKind.UnixSocket, path, 0, source);
    }

    public static DockerEndpoint Tcp(string host, int port, string source)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(port);
        return new DockerEndpoint(DockerTransportKind.Tcp, host, port, source);
    }

    /// <summary>
    /// Parses a DOCKER_HOST-style address. Only <c>unix://</c> and plain <c>tcp://</c> are supported;
    /// returns null with a reason for anything else (ssh://, npipe://, https://).
    /// </summary>
    public static DockerEndpoint? TryParse(string value, string source, out string? whyNot)
    {
        whyNot = null;
        var trimmed = value.Trim();
        if (trimmed.StartsWith("unix://", StringComparison.OrdinalIgnoreCase))
        {
            var path = trimmed["unix://".Length..];
            if (path.Length == 0)
            {
                whyNot = $"'{value}' has no socket path";
                return null;
            }

            return UnixSocket(path, source);
        }

        if (trimmed.StartsWith("tcp://", StringComparison.OrdinalIgnoreCase)
            && Uri.TryCreate(trimmed, UriKind.Absolute, out var uri)
            && uri.Host.Length > 0)
        {
            return Tcp(uri.Host, uri.IsDefaultPort || uri.Port <= 0 ? DefaultTcpPort : uri.Port, source);
        }

        whyNot = $"'{value}' is not supported: use unix:///path/to/docker.sock or tcp://host:port (plain TCP; "
                 + "ssh://, npipe:// and TLS endpoints are not supported by this harness)";
        return null;
    }

    /// <summary>The address in the form the Docker.DotNet builder takes: unix:///path or tcp://host:port.</summary>
    public Uri ToUri() => Kind == DockerTransportKind.UnixSocket
        ? new Uri("unix://" + Address)
        : new Uri(string.Create(CultureInfo.InvariantCulture, $"tcp://{Address}:{Port}"));

    public override string ToString() => Kind == DockerTransportKind.UnixSocket
        ? $"unix://{Address} (from {Source})"
        : string.Create(CultureInfo.InvariantCulture, $"tcp://{Address}:{Port} (from {Source})");
}
