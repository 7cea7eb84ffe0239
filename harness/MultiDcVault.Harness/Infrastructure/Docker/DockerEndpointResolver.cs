using System.Security.Cryptography;
using System.Text.Json;
using System.Text;

namespace MultiDcVault.Harness.Infrastructure.Docker;

/// <summary>The endpoint picked and every place consulted on the way (for error messages and `doctor`).</summary>
internal sealed record DockerEndpointResolution(DockerEndpoint Endpoint, IReadOnlyList<string> PlacesLooked);

/// <summary>
/// Finds the Docker engine the way Testcontainers and the docker CLI do: DOCKER_HOST, then the
/// current docker context, then /var/run/docker.sock, then the rootless / Desktop socket paths.
/// Explicit settings (DOCKER_HOST, a context) are taken as given; default locations only when a
/// socket file exists there.
/// </summary>
internal sealed class DockerEndpointResolver
{
    private const string DefaultContextName = "default";
    private readonly DockerHostEnvironment _environment;

    public DockerEndpointResolver(DockerHostEnvironment? environment = null)
    {
        _environment = environment ?? DockerHostEnvironment.Current;
    }

    /// <summary>Returns the engine endpoint, or throws <see cref="DockerUnavailableException"/> listing where it looked.</summary>
    public DockerEndpointResolution Resolve()
    {
        var looked = new List<string>();
        var endpoint = FromDockerHost(looked)
                       ?? FromDockerContext(looked)
                       ?? FromExistingSocket(_environment.DefaultSocketPath, "default socket", looked)
                       ?? RootlessCandidates().Select(c => FromExistingSocket(c.Path, c.Source, looked)).FirstOrDefault(e => e is not null);

        if (endpoint is null)
        {
            throw new DockerUnavailableException("No Docker engine endpoint found.", looked);
        }

        RejectTls(endpoint, looked);
        return new DockerEndpointResolution(endpoint, looked);
    }

    /// <summary>The docker context directory name: lower-case hex SHA-256 of the context name (docker CLI's layout).</summary>
    public static string ContextDirectoryName(string contextName) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(contextName)));

    private DockerEndpoint? FromDockerHost(List<string> looked)
    {
        var dockerHost = _environment.GetVariable("DOCKER_HOST");
        if (string.IsNullOrWhiteSpace(dockerHost))
        {
            looked.Add("DOCKER_HOST: not set");
            return null;
        }

        var endpoint = DockerEndpoint.TryParse(dockerHost, "DOCKER_HOST", out var whyNot);
        if (endpoint is null)
        {
            looked.Add($"DOCKER_HOST: {whyNot}");
            throw new DockerUnavailableException($"DOCKER_HOST {whyNot}.", looked);
        }

        looked.Add($"DOCKER_HOST: {dockerHost} (using it)");
        return endpoint;
    }

    private DockerEndpoint? FromDockerContext(List<string> looked)
    {
        var configDirectory = ConfigDirectory();
        var (contextName, origin) = CurrentContextName(configDirectory);
        if (contextName is null)
        {
            looked.Add($"docker context: {origin}");
            return null;
        }

        if (string.Equals(contextName, DefaultContextName, StringComparison.Ordinal))
        {
            looked.Add($"docker context: '{DefaultContextName}' ({origin}) means the default socket");
            return null;
        }

        var metaPath = Path.Combine(configDirectory, "contexts", "meta", ContextDirectoryName(contextName), "meta.json");
        if (!File.Exists(metaPath))
        {
            // The docker CLI refuses a named context that does not exist ("context not found") rather than falling back
            // to the default socket; doing the same keeps the harness and kind on the engine the person chose, or on none.
            looked.Add($"docker context '{contextName}' ({origin}): {metaPath} not found");
            throw new DockerUnavailableException(
                $"docker context '{contextName}' ({origin}) does not exist: `docker context ls` lists the ones there are; unset DOCKER_CONTEXT or run `docker context use default`.",
                looked);
        }

        var host = ReadContextHost(metaPath, contextName, out var problem);
        if (host is null)
        {
            looked.Add($"docker context '{contextName}' ({origin}): {problem}");
            return null;
        }

        var source = $"docker context '{contextName}'";
        var endpoint = DockerEndpoint.TryParse(host, source, out var whyNot);
        if (endpoint is null)
        {
            looked.Add($"{source}: {metaPath}: {whyNot}");
            throw new DockerUnavailableException($"The current {source} uses an endpoint this harness cannot use: {whyNot}.", looked);
        }

        looked.Add($"{source} ({origin}): {host} from {metaPath} (using it)");
        return endpoint;
    }

    private (string? Name, string Origin) CurrentContextName(string configDirectory)
    {
        var fromEnvironment = _environment.GetVariable("DOCKER_CONTEXT");
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return (fromEnvironment.Trim(), "from DOCKER_CONTEXT");
        }

        var configFile = Path.Combine(configDirectory, "config.json");
        if (!File.Exists(configFile))
        {
            return (null, $"DOCKER_CONTEXT not set and {configFile} not found");
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(configFile));
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("currentContext", out var current)
                && current.ValueKind == JsonValueKind.String
                && !string.IsNullOrWhiteSpace(current.GetString()))
            {
                return (current.GetString()!.Trim(), $"currentContext in {configFile}");
            }

            return (null, $"DOCKER_CONTEXT not set and {configFile} has no currentContext");
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            return (null, $"DOCKER_CONTEXT not set and {configFile} is unreadable ({e.Message})");
        }
    }

    private static string? ReadContextHost(string metaPath, string contextName, out string problem)
    {
        problem = string.Empty;
        if (!File.Exists(metaPath))
        {
            problem = $"{metaPath} not found (run `docker context ls` to check the context exists)";
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(metaPath));
            var root = document.RootElement;
            if (root.TryGetProperty("Name", out var name) && name.ValueKind == JsonValueKind.String
                && !string.Equals(name.GetString(), contextName, StringComparison.Ordinal))
            {
                problem = $"{metaPath} belongs to context '{name.GetString()}'";
                return null;
            }

            if (root.TryGetProperty("Endpoints", out var endpoints) && endpoints.ValueKind == JsonValueKind.Object
                && endpoints.TryGetProperty("docker", out var docker) && docker.ValueKind == JsonValueKind.Object
                && docker.TryGetProperty("Host", out var host) && host.ValueKind == JsonValueKind.String
                && !string.IsNullOrWhiteSpace(host.GetString()))
            {
                return host.GetString();
            }

            problem = $"{metaPath} has no Endpoints.docker.Host";
            return null;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            problem = $"{metaPath} is unreadable ({e.Message})";
            return null;
        }
    }

    private DockerEndpoint? FromExistingSocket(string path, string source, List<string> looked)
    {
        if (_environment.PathExists(path))
        {
            looked.Add($"{path} ({source}): found (using it)");
            return DockerEndpoint.UnixSocket(path, source);
        }

        looked.Add($"{path} ({source}): not found");
        return null;
    }

    private IEnumerable<(string Path, string Source)> RootlessCandidates()
    {
        var runtimeDirectory = _environment.GetVariable("XDG_RUNTIME_DIR");
        if (!string.IsNullOrWhiteSpace(runtimeDirectory))
        {
            yield return (Path.Combine(runtimeDirectory, "docker.sock"), "rootless, $XDG_RUNTIME_DIR");
        }

        if (_environment.UserId is { } uid)
        {
            yield return (Path.Combine(_environment.RunUserDirectory, uid.ToString(System.Globalization.CultureInfo.InvariantCulture), "docker.sock"), "rootless, /run/user/<uid>");
        }

        yield return (Path.Combine(_environment.HomeDirectory, ".docker", "run", "docker.sock"), "Docker Desktop, ~/.docker/run");
        yield return (Path.Combine(_environment.HomeDirectory, ".docker", "desktop", "docker.sock"), "Docker Desktop, ~/.docker/desktop");
    }

    private string ConfigDirectory()
    {
        var overrideDirectory = _environment.GetVariable("DOCKER_CONFIG");
        return string.IsNullOrWhiteSpace(overrideDirectory)
            ? Path.Combine(_environment.HomeDirectory, ".docker")
            : overrideDirectory;
    }

    // TLS client certificates are out of scope: fail loudly instead of silently speaking plain HTTP.
    private void RejectTls(DockerEndpoint endpoint, List<string> looked)
    {
        var tlsVerify = _environment.GetVariable("DOCKER_TLS_VERIFY");
        if (endpoint.Kind == DockerTransportKind.Tcp && !string.IsNullOrWhiteSpace(tlsVerify))
        {
            looked.Add($"DOCKER_TLS_VERIFY: '{tlsVerify}' (not supported)");
            throw new DockerUnavailableException(
                $"DOCKER_TLS_VERIFY is set but this harness supports only plain tcp:// and unix:// endpoints, not TLS ({endpoint}). "
                + "Unset DOCKER_TLS_VERIFY and use the local unix socket, or expose the engine on a trusted plain-TCP address "
                + "(e.g. an SSH tunnel to 127.0.0.1:2375).",
                looked);
        }
    }
}
