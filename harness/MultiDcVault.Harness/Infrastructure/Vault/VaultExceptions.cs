using System.Net;
using MultiDcVault.Harness.Infrastructure.Secrets;

namespace MultiDcVault.Harness.Infrastructure.Vault;

/// <summary>A Vault request that did not produce the expected answer. Messages never carry the token.</summary>
internal abstract class VaultException : Exception
{
    protected VaultException(string message, string method, Uri address, string requestPath, Exception? inner)
        : base(Redactor.Default.Redact(message), inner)
    {
        Method = method;
        Address = address;
        RequestPath = requestPath;
    }

    public string Method { get; }

    /// <summary>Base address of the Vault server.</summary>
    public Uri Address { get; }

    /// <summary>Path and query of the request, e.g. /v1/sys/health?standbyok=true.</summary>
    public string RequestPath { get; }
}

/// <summary>Vault answered with an HTTP error; <see cref="Errors"/> is Vault's "errors" array.</summary>
internal sealed class VaultApiException : VaultException
{
    public VaultApiException(string method, Uri address, string requestPath, HttpStatusCode statusCode, IReadOnlyList<string> errors)
        : base(Describe(method, address, requestPath, statusCode, errors), method, address, requestPath, inner: null)
    {
        StatusCode = statusCode;
        Errors = errors.Select(Redactor.Default.Redact).ToArray();
    }

    public HttpStatusCode StatusCode { get; }

    public IReadOnlyList<string> Errors { get; }

    public bool IsPermissionDenied => StatusCode == HttpStatusCode.Forbidden;

    /// <summary>KV v2 rejected a write because the cas version did not match the current version.</summary>
    public bool IsCheckAndSetMismatch =>
        StatusCode == HttpStatusCode.BadRequest
        && Errors.Any(e => e.Contains("check-and-set", StringComparison.OrdinalIgnoreCase));

    private static string Describe(string method, Uri address, string path, HttpStatusCode status, IReadOnlyList<string> errors)
    {
        var detail = errors.Count == 0 ? "no error details in the response" : string.Join("; ", errors);
        var hint = status switch
        {
            HttpStatusCode.Forbidden => " The token is missing, expired or lacks a policy for this path.",
            HttpStatusCode.ServiceUnavailable => " The node is sealed or not ready.",
            HttpStatusCode.TooManyRequests => " The node is a standby or rate limited.",
            _ => string.Empty,
        };
        return $"Vault at {address} answered {method} {path} with {(int)status} {status}: {detail}.{hint}";
    }
}

/// <summary>No HTTP answer: connection refused, DNS, TLS trust failure or the connection dropped.</summary>
internal sealed class VaultUnreachableException : VaultException
{
    public VaultUnreachableException(string method, Uri address, string requestPath, Exception inner)
        : base(
            $"Could not reach Vault at {address} for {method} {requestPath}: {inner.GetBaseException().Message} " +
            "Check that the address is reachable from here and, for https, that the server certificate is trusted (CA) and names this host or IP.",
            method, address, requestPath, inner)
    {
    }
}

/// <summary>Vault did not answer within the per-request timeout.</summary>
internal sealed class VaultTimeoutException : VaultException
{
    public VaultTimeoutException(string method, Uri address, string requestPath, TimeSpan timeout, Exception inner)
        : base(
            $"Vault at {address} did not answer {method} {requestPath} within {timeout.TotalSeconds:0.###} s. " +
            "The node may be paused, partitioned or overloaded; raise VaultClientOptions.RequestTimeout if it is just slow.",
            method, address, requestPath, inner)
    {
        Timeout = timeout;
    }

    public TimeSpan Timeout { get; }
}
