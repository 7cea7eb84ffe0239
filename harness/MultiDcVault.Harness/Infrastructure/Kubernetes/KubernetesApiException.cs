using System.Net;

namespace MultiDcVault.Harness.Infrastructure.Kubernetes;

/// <summary>
/// An API call the server refused: the HTTP status and the server's Status message (e.g. an admission
/// webhook that cannot be called yet). The message never holds request bodies (they may hold secrets).
/// </summary>
internal sealed class KubernetesApiException(string operation, HttpStatusCode status, string serverMessage, Exception? inner = null)
    : Exception($"{operation}: the API server answered {(int)status} {status}: {serverMessage}", inner)
{
    public HttpStatusCode Status { get; } = status;

    public string ServerMessage { get; } = serverMessage;
}
