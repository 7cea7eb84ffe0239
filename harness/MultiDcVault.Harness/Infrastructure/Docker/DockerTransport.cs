using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Net;
using System.Text.Json.Serialization;
using System.Text.Json;

namespace MultiDcVault.Harness.Infrastructure.Docker;

/// <summary>
/// HTTP to the engine: one HttpClient over a unix socket or TCP, the versioned path prefix,
/// JSON (de)serialisation, request timeouts and translation of failures into Docker exceptions.
/// </summary>
internal sealed class DockerTransport : IDisposable
{
    internal static readonly JsonSerializerOptions Json = new()
    {
        // Docker's Go decoder matches keys case-insensitively, and so do we when reading.
        PropertyNameCaseInsensitive = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly HttpClient _http;
    private readonly DockerClientOptions _options;

    public DockerTransport(DockerEndpoint endpoint, IReadOnlyList<string> placesLooked, DockerClientOptions options)
    {
        Endpoint = endpoint;
        PlacesLooked = placesLooked;
        _options = options;
        _http = new HttpClient(CreateHandler(endpoint), disposeHandler: true)
        {
            BaseAddress = endpoint.Kind == DockerTransportKind.UnixSocket
                ? new Uri("http://docker.sock/")
                : new Uri($"http://{endpoint.Address}:{endpoint.Port}/"),
            // Each call applies its own bound (see DockerClientOptions.RequestTimeout).
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public DockerEndpoint Endpoint { get; }

    public IReadOnlyList<string> PlacesLooked { get; }

    public TimeProvider TimeProvider => _options.TimeProvider;

    /// <summary>Set once by negotiation; every versioned request is prefixed with it.</summary>
    public DockerApiVersion ApiVersion { get; set; } = DockerApiVersion.Oldest;

    public void Dispose() => _http.Dispose();

    /// <summary>Sends an unversioned request (only /_ping needs that).</summary>
    public Task<HttpResponseMessage> SendUnversionedAsync(HttpMethod method, string path, CancellationToken cancellationToken) =>
        SendCoreAsync(method, path, null, ErrorMap.Default, cancellationToken, versioned: false);

    public async Task<T> GetJsonAsync<T>(string path, ErrorMap errors, CancellationToken cancellationToken)
    {
        using var response = await SendCoreAsync(HttpMethod.Get, path, null, errors, cancellationToken);
        return await ReadJsonAsync<T>(response, $"GET {StripQuery(path)}", cancellationToken);
    }

    public async Task<T> PostJsonAsync<T>(string path, object? body, ErrorMap errors, CancellationToken cancellationToken)
    {
        using var response = await SendCoreAsync(HttpMethod.Post, path, body, errors, cancellationToken);
        return await ReadJsonAsync<T>(response, $"POST {StripQuery(path)}", cancellationToken);
    }

    /// <summary>Sends a request whose answer has no body we need; returns the status (e.g. 304 "already done").</summary>
    public async Task<HttpStatusCode> SendAsync(
        HttpMethod method, string path, object? body, ErrorMap errors, CancellationToken cancellationToken, TimeSpan? extraTime = null)
    {
        using var response = await SendCoreAsync(method, path, body, errors, cancellationToken, extraTime: extraTime);
        return response.StatusCode;
    }

    /// <summary>
    /// Sends a request and returns the response once its headers arrived, for reading a long body
    /// stream. Only the caller's token bounds it.
    /// </summary>
    public Task<HttpResponseMessage> OpenStreamAsync(HttpMethod method, string path, object? body, ErrorMap errors, CancellationToken cancellationToken) =>
        SendCoreAsync(method, path, body, errors, cancellationToken, streaming: true);

    private async Task<HttpResponseMessage> SendCoreAsync(
        HttpMethod method,
        string path,
        object? body,
        ErrorMap errors,
        CancellationToken cancellationToken,
        bool versioned = true,
        bool streaming = false,
        TimeSpan? extraTime = null)
    {
        var operation = $"{method} {StripQuery(path)}";
        var relative = versioned ? $"v{ApiVersion}/{path.TrimStart('/')}" : path.TrimStart('/');
        using var request = new HttpRequestMessage(method, relative);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), new MediaTypeHeaderValue("application/json"), Json);
        }

        using var timeout = streaming ? null : new CancellationTokenSource(_options.RequestTimeout + (extraTime ?? TimeSpan.Zero), _options.TimeProvider);
        using var linked = timeout is null
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken)
            : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(
                request,
                streaming ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead,
                linked.Token);
        }
        catch (OperationCanceledException) when (timeout?.IsCancellationRequested == true && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"Docker engine at {Endpoint} did not answer {operation} within {_options.RequestTimeout + (extraTime ?? TimeSpan.Zero)}. "
                + "Check that the daemon is healthy (`docker info`) and not overloaded.");
        }
        catch (HttpRequestException e)
        {
            throw Unavailable(e);
        }

        if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotModified)
        {
            return response;
        }

        using (response)
        {
            var message = await ReadDaemonMessageAsync(response, cancellationToken);
            throw errors.Map(response.StatusCode, message, operation);
        }
    }

    private static async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, string operation, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken)
                   ?? throw new JsonException("empty body");
        }
        catch (JsonException e)
        {
            throw new DockerApiException(response.StatusCode, $"unreadable JSON answer ({e.Message})", operation);
        }
    }

    private static async Task<string> ReadDaemonMessageAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("message", out var message)
                && message.ValueKind == JsonValueKind.String)
            {
                return message.GetString() ?? string.Empty;
            }
        }
        catch (JsonException)
        {
            // Proxies and very old daemons answer in plain text; keep it as is.
        }

        return text.Trim();
    }

    public DockerUnavailableException Unavailable(HttpRequestException e)
    {
        var socketException = e.InnerException as SocketException;
        var detail = socketException?.Message ?? e.Message;
        var problem = socketException?.SocketErrorCode switch
        {
            SocketError.AccessDenied =>
                $"Permission denied on the Docker socket {Endpoint}. Add your user to the docker group "
                + "(`sudo usermod -aG docker $USER`, then log out and in) or use rootless Docker.",
            _ when Endpoint.Kind == DockerTransportKind.UnixSocket && !File.Exists(Endpoint.Address) =>
                $"Cannot connect to the Docker engine at {Endpoint}: there is no socket file at {Endpoint.Address}.",
            SocketError.ConnectionRefused =>
                $"Cannot connect to the Docker engine at {Endpoint}: nothing accepts connections there (is the daemon stopped?).",
            _ => $"Cannot talk to the Docker engine at {Endpoint}: {detail}",
        };
        return new DockerUnavailableException(problem, PlacesLooked, e);
    }

    private static string StripQuery(string path)
    {
        var query = path.IndexOf('?', StringComparison.Ordinal);
        return "/" + (query < 0 ? path : path[..query]).TrimStart('/');
    }

    private static SocketsHttpHandler CreateHandler(DockerEndpoint endpoint)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            UseProxy = false,
        };
        if (endpoint.Kind == DockerTransportKind.UnixSocket)
        {
            var socketPath = endpoint.Address;
            handler.ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }

        return handler;
    }
}

/// <summary>Turns an error status + daemon message into the most specific exception for one call.</summary>
internal sealed class ErrorMap
{
    public static ErrorMap Default { get; } = new(null);

    private readonly Func<HttpStatusCode, string, string, DockerApiException?>? _specific;

    private ErrorMap(Func<HttpStatusCode, string, string, DockerApiException?>? specific) => _specific = specific;

    /// <summary>404 means the named image is missing (image inspect, container create).</summary>
    public static ErrorMap ImageMissingOn404(string image) => new((status, message, operation) =>
        status == HttpStatusCode.NotFound && (message.Contains("image", StringComparison.OrdinalIgnoreCase) || operation.Contains("/images/", StringComparison.Ordinal))
            ? new DockerImageNotFoundException(image, message, operation)
            : null);

    /// <summary>Overlapping address pools (403 on 20.10, 400 on newer daemons) get their own type.</summary>
    public static ErrorMap SubnetOverlap(IReadOnlyList<string> subnets) => new((status, message, operation) =>
        message.Contains("overlaps", StringComparison.OrdinalIgnoreCase)
            ? new DockerSubnetOverlapException(status, message, operation, subnets)
            : null);

    public DockerApiException Map(HttpStatusCode status, string message, string operation) =>
        _specific?.Invoke(status, message, operation)
        ?? (status == HttpStatusCode.Conflict
            ? new DockerConflictException(message, operation)
            : new DockerApiException(status, message, operation));
}
