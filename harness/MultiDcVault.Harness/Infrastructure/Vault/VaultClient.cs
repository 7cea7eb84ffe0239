using System.Net.Http.Headers;
using System.Net;
using System.Text.Json;
using System.Text;
using MultiDcVault.Harness.Infrastructure.Secrets;

namespace MultiDcVault.Harness.Infrastructure.Vault;

/// <summary>
/// Typed client for the Vault HTTP endpoints the harness needs. One instance per Vault address.
/// The token travels only in the X-Vault-Token header; it never appears in messages or ToString.
/// </summary>
internal sealed class VaultClient : IDisposable
{
    /// <summary>Makes sys/health answer with a JSON body whatever the node's state (see the design brief).</summary>
    public const string AlwaysParseableHealthQuery =
        "standbyok=true&uninitcode=299&sealedcode=299&standbycode=299&performancestandbycode=299" +
        "&drsecondarycode=299&removedcode=299&haunhealthycode=299";

    private const string TokenHeader = "X-Vault-Token";

    // Every status sys/health documents, so a server that ignores our *code parameters still parses.
    private static readonly HashSet<HttpStatusCode> HealthStatuses =
        [.. new[] { 200, 299, 429, 472, 473, 474, 501, 503, 530 }.Select(code => (HttpStatusCode)code)];

    private readonly HttpClient _http;
    private readonly VaultClientOptions _options;

    public VaultClient(VaultClientOptions options)
        : this(options, VaultHttpClientFactory.CreateHandler(options?.Tls ?? VaultTls.SystemTrust), disposeHandler: true)
    {
    }

    /// <summary>Uses <paramref name="handler"/> (e.g. shared between clients); TLS then is the handler's business.</summary>
    public VaultClient(VaultClientOptions options, HttpMessageHandler handler, bool disposeHandler)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handler);
        if (options.RequestTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.RequestTimeout, "RequestTimeout must be positive.");
        }

        _options = options;
        if (options.Token is not null)
        {
            Redactor.Default.Register(options.Token);
        }

        _http = new HttpClient(handler, disposeHandler)
        {
            BaseAddress = options.Address,
            // The per-request timeout is ours (TimeProvider-driven), not HttpClient's.
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public Uri Address => _options.Address;

    public async Task<VaultHealth> GetHealthAsync(CancellationToken cancellationToken = default)
    {
        var path = "sys/health?" + AlwaysParseableHealthQuery;
        var response = await SendAsync(HttpMethod.Get, path, body: null, authenticated: false, HealthStatuses.Contains, cancellationToken);
        var health = Deserialize<VaultHealth>(response, path);
        return health with { StatusCode = response.Status };
    }

    public async Task<VaultLeader> GetLeaderAsync(CancellationToken cancellationToken = default)
    {
        const string path = "sys/leader";
        var response = await SendAsync(HttpMethod.Get, path, body: null, authenticated: false, IsSuccess, cancellationToken);
        return Deserialize<VaultLeader>(response, path);
    }

    public async Task<VaultSealStatus> GetSealStatusAsync(CancellationToken cancellationToken = default)
    {
        const string path = "sys/seal-status";
        var response = await SendAsync(HttpMethod.Get, path, body: null, authenticated: false, IsSuccess, cancellationToken);
        return Deserialize<VaultSealStatus>(response, path);
    }

    /// <summary>
    /// Submits one unseal key share (PUT /v1/sys/unseal; hashicorp/vault http/sys_seal.go accepts hex or base64)
    /// and returns the seal status after it. A wrong key is Vault's 400, a <see cref="VaultApiException"/>.
    /// </summary>
    public async Task<VaultSealStatus> UnsealAsync(SecretValue key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        const string path = "sys/unseal";
        var body = new Dictionary<string, string> { ["key"] = key.Reveal() };
        var response = await SendAsync(HttpMethod.Put, path, body, authenticated: false, IsSuccess, cancellationToken);
        return Deserialize<VaultSealStatus>(response, path);
    }

    public async Task<VaultInitResult> InitAsync(VaultInitRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        const string path = "sys/init";
        var response = await SendAsync(HttpMethod.Put, path, request, authenticated: false, IsSuccess, cancellationToken);
        var init = Deserialize<VaultInitResponse>(response, path);
        if (string.IsNullOrEmpty(init.RootToken))
        {
            throw MalformedResponse(HttpMethod.Put, path, "the answer has no root_token");
        }

        var keys = (init.KeysBase64 ?? []).Select(k => new SecretValue(k)).ToArray();
        var recovery = (init.RecoveryKeysBase64 ?? []).Select(k => new SecretValue(k)).ToArray();
        var root = new SecretValue(init.RootToken);
        Redactor.Default.Register(root);
        foreach (var key in keys.Concat(recovery))
        {
            Redactor.Default.Register(key);
        }

        return new VaultInitResult(keys, recovery, root);
    }

    public async Task<RaftConfiguration> GetRaftConfigurationAsync(CancellationToken cancellationToken = default)
    {
        const string path = "sys/storage/raft/configuration";
        var response = await SendAsync(HttpMethod.Get, path, body: null, authenticated: true, IsSuccess, cancellationToken);
        var envelope = Deserialize<VaultEnvelope<RaftConfigurationData>>(response, path);
        var config = envelope.Data?.Config ?? throw MalformedResponse(HttpMethod.Get, path, "data.config is missing");
        return new RaftConfiguration(config.Servers ?? [], config.Index);
    }

    /// <summary>
    /// Autopilot's view of the cluster, or null while autopilot is still starting
    /// (Vault then answers 204 with no body, or a body without data).
    /// </summary>
    public async Task<AutopilotState?> GetAutopilotStateAsync(CancellationToken cancellationToken = default)
    {
        const string path = "sys/storage/raft/autopilot/state";
        var response = await SendAsync(HttpMethod.Get, path, body: null, authenticated: true, IsSuccess, cancellationToken);
        if (response.Body.Length == 0 || IsBlank(response.Body))
        {
            return null;
        }

        var state = Deserialize<VaultEnvelope<AutopilotState>>(response, path).Data;
        if (state is null)
        {
            return null;
        }

        // Go sends nil slices and maps as null.
        return state with
        {
            Voters = state.Voters ?? [],
            Servers = state.Servers ?? new Dictionary<string, AutopilotServer>(),
        };
    }

    /// <summary>Reads the current version of a KV v2 secret; null when it does not exist or is deleted.</summary>
    public async Task<KvSecret?> ReadKvAsync(string mount, string secretPath, CancellationToken cancellationToken = default)
    {
        var path = KvPath(mount, "data", secretPath);
        var response = await SendAsync(
            HttpMethod.Get, path, body: null, authenticated: true, s => IsSuccess(s) || s == HttpStatusCode.NotFound, cancellationToken);
        if (response.Status == HttpStatusCode.NotFound)
        {
            return null;
        }

        var data = Deserialize<VaultEnvelope<KvReadData>>(response, path).Data;
        if (data?.Data is null)
        {
            return null;
        }

        return new KvSecret(data.Data, data.Metadata ?? new KvVersionMetadata());
    }

    /// <summary>
    /// Writes a new version. With <paramref name="cas"/> Vault only accepts the write when the current version
    /// equals it (0: only if absent); a mismatch throws a <see cref="VaultApiException"/> with IsCheckAndSetMismatch.
    /// </summary>
    public async Task<KvVersionMetadata> WriteKvAsync(
        string mount,
        string secretPath,
        IReadOnlyDictionary<string, object?> data,
        int? cas = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        var path = KvPath(mount, "data", secretPath);
        var response = await SendAsync(HttpMethod.Post, path, KvBody(data, cas), authenticated: true, IsSuccess, cancellationToken);
        return Deserialize<VaultEnvelope<KvVersionMetadata>>(response, path).Data
            ?? throw MalformedResponse(HttpMethod.Post, path, "the answer has no version metadata");
    }

    /// <summary>Merges <paramref name="data"/> into the current version (JSON merge patch); the secret must exist.</summary>
    public async Task<KvVersionMetadata> PatchKvAsync(
        string mount,
        string secretPath,
        IReadOnlyDictionary<string, object?> data,
        int? cas = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        var path = KvPath(mount, "data", secretPath);
        var response = await SendAsync(
            HttpMethod.Patch, path, KvBody(data, cas), authenticated: true, IsSuccess, cancellationToken, "application/merge-patch+json");
        return Deserialize<VaultEnvelope<KvVersionMetadata>>(response, path).Data
            ?? throw MalformedResponse(HttpMethod.Patch, path, "the answer has no version metadata");
    }

    public async Task EnableMountAsync(string mountPath, MountRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await SendAsync(HttpMethod.Post, "sys/mounts/" + EscapePath(mountPath), request, authenticated: true, IsSuccess, cancellationToken);
    }

    /// <summary>Creates or replaces an ACL policy (HCL text).</summary>
    public async Task WritePolicyAsync(string name, string policy, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(policy);
        var body = new Dictionary<string, string> { ["policy"] = policy };
        await SendAsync(HttpMethod.Put, "sys/policies/acl/" + EscapePath(name), body, authenticated: true, IsSuccess, cancellationToken);
    }

    /// <summary>Creates an orphan periodic token (survives its parent; lives as long as it is renewed).</summary>
    public async Task<SecretValue> CreateOrphanPeriodicTokenAsync(OrphanTokenRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Period <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.Period, "A periodic token needs a positive period.");
        }

        const string path = "auth/token/create-orphan";
        var body = new Dictionary<string, object?>
        {
            ["policies"] = request.Policies,
            ["period"] = GoDuration.Format(request.Period),
            ["renewable"] = true,
            ["no_default_policy"] = request.NoDefaultPolicy,
        };
        if (request.DisplayName is not null)
        {
            body["display_name"] = request.DisplayName;
        }

        var response = await SendAsync(HttpMethod.Post, path, body, authenticated: true, IsSuccess, cancellationToken);
        var token = Deserialize<VaultEnvelope<JsonElement>>(response, path).Auth?.ClientToken;
        if (string.IsNullOrEmpty(token))
        {
            throw MalformedResponse(HttpMethod.Post, path, "the answer has no auth.client_token");
        }

        var secret = new SecretValue(token);
        Redactor.Default.Register(secret);
        return secret;
    }

    /// <summary>Creates a named encryption key in a transit mount (aes256-gcm96 unless told otherwise).</summary>
    public async Task CreateTransitKeyAsync(string mountPath, string keyName, string keyType = "aes256-gcm96", CancellationToken cancellationToken = default)
    {
        var body = new Dictionary<string, string> { ["type"] = keyType };
        await SendAsync(HttpMethod.Post, $"{EscapePath(mountPath)}/keys/{EscapePath(keyName)}", body, authenticated: true, IsSuccess, cancellationToken);
    }

    /// <summary>Asks the active node to give up leadership (needs sudo on sys/step-down).</summary>
    public async Task StepDownAsync(CancellationToken cancellationToken = default) =>
        await SendAsync(HttpMethod.Put, "sys/step-down", body: null, authenticated: true, IsSuccess, cancellationToken);

    /// <summary>True when the configured token is accepted (auth/token/lookup-self answers 200), false on 403.</summary>
    public async Task<bool> IsTokenValidAsync(CancellationToken cancellationToken = default)
    {
        var response = await SendAsync(
            HttpMethod.Get, "auth/token/lookup-self", body: null, authenticated: true,
            s => IsSuccess(s) || s == HttpStatusCode.Forbidden, cancellationToken);
        return response.Status != HttpStatusCode.Forbidden;
    }

    public void Dispose() => _http.Dispose();

    public override string ToString() => $"VaultClient({_options.Address}, token {(_options.Token is null ? "none" : Redactor.Mask)})";

    private static bool IsSuccess(HttpStatusCode status) => (int)status is >= 200 and < 300;

    private static bool IsBlank(byte[] body) => body.All(b => b is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t');

    private static string KvPath(string mount, string kind, string secretPath) =>
        $"{EscapePath(mount)}/{kind}/{EscapePath(secretPath)}";

    private static Dictionary<string, object?> KvBody(IReadOnlyDictionary<string, object?> data, int? cas)
    {
        var body = new Dictionary<string, object?> { ["data"] = data };
        if (cas is not null)
        {
            body["options"] = new Dictionary<string, object?> { ["cas"] = cas.Value };
        }

        return body;
    }

    /// <summary>Escapes each segment of a slash-separated Vault path, dropping empty segments.</summary>
    internal static string EscapePath(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0 || segments.Any(s => s is "." or ".."))
        {
            throw new ArgumentException($"'{path}' is not a usable Vault path.", nameof(path));
        }

        return string.Join('/', segments.Select(Uri.EscapeDataString));
    }

    private async Task<VaultResponse> SendAsync(
        HttpMethod method,
        string relativePath,
        object? body,
        bool authenticated,
        Func<HttpStatusCode, bool> accept,
        CancellationToken cancellationToken,
        string contentType = "application/json")
    {
        var requestPath = "/v1/" + relativePath;
        using var request = new HttpRequestMessage(method, requestPath.TrimStart('/'));
        if (authenticated && _options.Token is not null)
        {
            request.Headers.TryAddWithoutValidation(TokenHeader, _options.Token.Reveal());
        }

        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null)
        {
            var json = JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), VaultJson.Options);
            request.Content = new ByteArrayContent(json);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType) { CharSet = contentType == "application/json" ? "utf-8" : null };
        }

        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            var bytes = await response.Content.ReadAsByteArrayAsync(linked.Token);
            if (!accept(response.StatusCode))
            {
                throw new VaultApiException(method.Method, _options.Address, requestPath, response.StatusCode, ParseErrors(bytes));
            }

            return new VaultResponse(method, response.StatusCode, bytes);
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new VaultTimeoutException(method.Method, _options.Address, requestPath, _options.RequestTimeout, ex);
        }
        catch (HttpRequestException ex)
        {
            throw new VaultUnreachableException(method.Method, _options.Address, requestPath, ex);
        }
    }

    private static IReadOnlyList<string> ParseErrors(byte[] body)
    {
        if (body.Length == 0)
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize<VaultErrorBody>(body, VaultJson.Options)?.Errors ?? [];
        }
        catch (JsonException)
        {
            // Not Vault's JSON (a proxy's HTML page, say): keep a short, redacted excerpt.
            var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 200)).Trim();
            return text.Length == 0 ? [] : [text];
        }
    }

    private T Deserialize<T>(VaultResponse response, string relativePath)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(response.Body, VaultJson.Options)
                ?? throw MalformedResponse(response.Method, relativePath, "the body is empty or null");
        }
        catch (JsonException ex)
        {
            throw MalformedResponse(response.Method, relativePath, "the body is not the JSON Vault documents: " + ex.Message);
        }
    }

    private InvalidDataException MalformedResponse(HttpMethod method, string relativePath, string problem) =>
        new(Redactor.Default.Redact($"Vault at {_options.Address} answered {method.Method} /v1/{relativePath} but {problem}. Is this address really a Vault server of a supported version?"));

    private sealed record VaultResponse(HttpMethod Method, HttpStatusCode Status, byte[] Body);
}
