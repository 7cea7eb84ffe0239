using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Engine = Docker.DotNet;

namespace MultiDcVault.Harness.Infrastructure.Docker;

/// <summary>
/// Runs each Docker.DotNet call under the harness's rules: a request timeout on the caller's
/// TimeProvider (streams are bounded only by the caller's token), and failures turned into our
/// exceptions, which name the endpoint, the call and what to do.
/// </summary>
internal sealed class DockerCalls(DockerEndpoint endpoint, IReadOnlyList<string> placesLooked, DockerClientOptions options)
{
    public DockerEndpoint Endpoint { get; } = endpoint;

    public TimeProvider TimeProvider => options.TimeProvider;

    public Task RunAsync(string operation, Func<CancellationToken, Task> call, CancellationToken cancellationToken, DockerErrors? errors = null, TimeSpan? extraTime = null) =>
        RunAsync<bool>(operation, async ct => { await call(ct); return true; }, cancellationToken, errors, extraTime);

    public async Task<T> RunAsync<T>(string operation, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken, DockerErrors? errors = null, TimeSpan? extraTime = null)
    {
        var limit = options.RequestTimeout + (extraTime ?? TimeSpan.Zero);
        using var timeout = new CancellationTokenSource(limit, options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            // WaitAsync too: the library's TCP connect ignores the token (ManagedHandler, v4.3.3), and a
            // blackholed host would otherwise hold the call until the OS gives up.
            return await call(linked.Token).WaitAsync(linked.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"Docker engine at {Endpoint} did not answer {operation} within {limit}. "
                + "Check that the daemon is healthy (`docker info`) and not overloaded.");
        }
        catch (Exception e) when (Translate(e, operation, errors) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>For streaming calls (pull, logs, exec): only the caller's token bounds them.</summary>
    public async Task<T> StreamAsync<T>(string operation, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken, DockerErrors? errors = null)
    {
        try
        {
            return await call(cancellationToken).WaitAsync(cancellationToken);
        }
        catch (Exception e) when (Translate(e, operation, errors) is { } translated)
        {
            throw translated;
        }
    }

    private DockerException? Translate(Exception e, string operation, DockerErrors? errors) => e switch
    {
        Engine.DockerApiException api => (errors ?? DockerErrors.Default).Map(api.StatusCode, DaemonMessage(api.ResponseBody), operation),
        HttpRequestException or SocketException or IOException => Unavailable(e),
        // The library's TCP connector reports a refused connection as AggregateException(SocketException).
        AggregateException { InnerExceptions: [var only] } => Translate(only, operation, errors),
        _ => null,
    };

    private DockerUnavailableException Unavailable(Exception e)
    {
        var socket = e as SocketException ?? e.InnerException as SocketException ?? e.InnerException?.InnerException as SocketException;
        var problem = socket?.SocketErrorCode switch
        {
            SocketError.AccessDenied =>
                $"Permission denied on the Docker socket {Endpoint}. Add your user to the docker group "
                + "(`sudo usermod -aG docker $USER`, then log out and in) or use rootless Docker.",
            _ when Endpoint.Kind == DockerTransportKind.UnixSocket && !File.Exists(Endpoint.Address) =>
                $"Cannot connect to the Docker engine at {Endpoint}: there is no socket file at {Endpoint.Address}.",
            SocketError.ConnectionRefused =>
                $"Cannot connect to the Docker engine at {Endpoint}: nothing accepts connections there (is the daemon stopped?).",
            _ => $"Cannot talk to the Docker engine at {Endpoint}: {socket?.Message ?? e.Message}",
        };
        return new DockerUnavailableException(problem, placesLooked, e);
    }

    // The engine answers errors as {"message": "..."}; proxies and old daemons in plain text.
    private static string DaemonMessage(string? body)
    {
        var text = body?.Trim() ?? string.Empty;
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
            // Not JSON: keep the text as it is.
        }

        return text;
    }
}

/// <summary>Turns an error status + daemon message into the most specific exception for one call.</summary>
internal sealed class DockerErrors
{
    public static DockerErrors Default { get; } = new(null);

    private readonly Func<HttpStatusCode, string, string, DockerApiException?>? _specific;

    private DockerErrors(Func<HttpStatusCode, string, string, DockerApiException?>? specific) => _specific = specific;

    /// <summary>404 means the named image is missing (image inspect, container create).</summary>
    public static DockerErrors ImageMissingOn404(string image) => new((status, message, operation) =>
        status == HttpStatusCode.NotFound && (message.Contains("image", StringComparison.OrdinalIgnoreCase) || operation.Contains("/images/", StringComparison.Ordinal))
            ? new DockerImageNotFoundException(image, message, operation)
            : null);

    /// <summary>Overlapping address pools (403 on 20.10, 400 on newer daemons) get their own type.</summary>
    public static DockerErrors SubnetOverlap(IReadOnlyList<string> subnets) => new((status, message, operation) =>
        message.Contains("overlaps", StringComparison.OrdinalIgnoreCase)
            ? new DockerSubnetOverlapException(status, message, operation, subnets)
            : null);

    public DockerApiException Map(HttpStatusCode status, string message, string operation) =>
        _specific?.Invoke(status, message, operation)
        ?? (status == HttpStatusCode.Conflict
            ? new DockerConflictException(message, operation)
            : new DockerApiException(status, message, operation));
}
