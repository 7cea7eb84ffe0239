using System.Collections.Concurrent;
using System.Net.Security;
using System.Net.Sockets;
using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography;
using System.Text;
using MultiDcVault.Harness.Infrastructure.Vault;

namespace MultiDcVault.Harness.Tests.TestSupport;

/// <summary>One HTTP request as the fake Vault received it.</summary>
internal sealed record RecordedRequest(string Method, string Target, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string Path => Target.Split('?', 2)[0];

    public string Query => Target.Contains('?', StringComparison.Ordinal) ? Target.Split('?', 2)[1] : string.Empty;

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>What the fake Vault answers; a 204 never carries a body.</summary>
internal sealed record FakeResponse(int Status, string? Body = null)
{
    public static FakeResponse Json(int status, string body) => new(status, body);

    public static FakeResponse NoContent { get; } = new(204);
}

/// <summary>
/// A tiny HTTP/1.1 server on 127.0.0.1 (plain or TLS via SslStream), one request per connection,
/// so Vault client tests go through real sockets, real TLS handshakes and real HttpClient parsing.
/// </summary>
internal sealed class FakeVaultServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly X509Certificate2? _certificate;
    private readonly Func<RecordedRequest, CancellationToken, Task<FakeResponse>> _handler;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private int _handshakeFailures;

    private FakeVaultServer(Func<RecordedRequest, CancellationToken, Task<FakeResponse>> handler, X509Certificate2? certificate)
    {
        _handler = handler;
        _certificate = certificate;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        var port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        BaseAddress = new Uri($"{(certificate is null ? "http" : "https")}://127.0.0.1:{port}");
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public Uri BaseAddress { get; }

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>TLS handshakes that failed (e.g. the client rejected our certificate).</summary>
    public int HandshakeFailures => Volatile.Read(ref _handshakeFailures);

    public static FakeVaultServer Start(Func<RecordedRequest, CancellationToken, Task<FakeResponse>> handler, X509Certificate2? certificate = null) =>
        new(handler, certificate);

    public static FakeVaultServer Start(Func<RecordedRequest, FakeResponse> handler, X509Certificate2? certificate = null) =>
        new((request, _) => Task.FromResult(handler(request)), certificate);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _acceptLoop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                Stream stream = client.GetStream();
                if (_certificate is not null)
                {
                    var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                    try
                    {
                        await tls.AuthenticateAsServerAsync(
                            new SslServerAuthenticationOptions { ServerCertificate = _certificate },
                            _stop.Token);
                    }
                    catch (Exception ex) when (ex is AuthenticationException or IOException)
                    {
                        Interlocked.Increment(ref _handshakeFailures);
                        await tls.DisposeAsync();
                        return;
                    }

                    stream = tls;
                }

                await using (stream)
                {
                    var request = await ReadRequestAsync(stream, _stop.Token);
                    if (request is null)
                    {
                        return;
                    }

                    Requests.Enqueue(request);
                    var response = await _handler(request, _stop.Token);
                    await WriteResponseAsync(stream, response, _stop.Token);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
            {
                // The client went away (timeouts under test) or the server is stopping.
            }
        }
    }

    private static async Task<RecordedRequest?> ReadRequestAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new List<byte>();
        var chunk = new byte[4096];
        int headerEnd;
        while ((headerEnd = IndexOfHeaderEnd(buffer)) < 0)
        {
            var read = await stream.ReadAsync(chunk, cancellationToken);
            if (read == 0)
            {
                return null;
            }

            buffer.AddRange(chunk.AsSpan(0, read));
        }

        var head = Encoding.ASCII.GetString([.. buffer.Take(headerEnd)]);
        var lines = head.Split("\r\n");
        var requestLine = lines[0].Split(' ');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }

        var bodyBytes = buffer.Skip(headerEnd + 4).ToList();
        var length = headers.TryGetValue("Content-Length", out var cl) ? int.Parse(cl, System.Globalization.CultureInfo.InvariantCulture) : 0;
        while (bodyBytes.Count < length)
        {
            var read = await stream.ReadAsync(chunk, cancellationToken);
            if (read == 0)
            {
                break;
            }

            bodyBytes.AddRange(chunk.AsSpan(0, read));
        }

        return new RecordedRequest(requestLine[0], requestLine[1], headers, Encoding.UTF8.GetString([.. bodyBytes]));
    }

    private static int IndexOfHeaderEnd(List<byte> buffer)
    {
        for (var i = 0; i + 3 < buffer.Count; i++)
        {
            if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n')
            {
                return i;
            }
        }

        return -1;
    }

    private static async Task WriteResponseAsync(Stream stream, FakeResponse response, CancellationToken cancellationToken)
    {
        var body = response.Status == 204 || response.Body is null ? [] : Encoding.UTF8.GetBytes(response.Body);
        var head =
            $"HTTP/1.1 {response.Status} Fake\r\n" +
            (body.Length > 0 ? "Content-Type: application/json\r\n" : string.Empty) +
            $"Content-Length: {body.Length}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), cancellationToken);
        await stream.WriteAsync(body, cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }
}

/// <summary>Test CA and server certificates made on the fly (ECDSA P-256, valid for a day around now).</summary>
internal static class TestPki
{
    public static X509Certificate2 CreateCa(string commonName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        using var ca = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));
        return Reload(ca);
    }

    /// <summary>A server certificate signed by <paramref name="ca"/> naming exactly <paramref name="ipSans"/>.</summary>
    public static X509Certificate2 CreateServerCertificate(X509Certificate2 ca, params IPAddress[] ipSans)
    {
        ArgumentNullException.ThrowIfNull(ca);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=vault", key, HashAlgorithmName.SHA256);
        var sans = new SubjectAlternativeNameBuilder();
        sans.AddDnsName("vault.test");
        foreach (var ip in ipSans)
        {
            sans.AddIpAddress(ip);
        }

        request.CertificateExtensions.Add(sans.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var now = DateTimeOffset.UtcNow;
        var serial = RandomNumberGenerator.GetBytes(12);
        using var signed = request.Create(ca, now.AddHours(-1), now.AddHours(12), serial);
        using var withKey = signed.CopyWithPrivateKey(key);
        return Reload(withKey);
    }

    public static string ToPem(X509Certificate2 certificate) => certificate.ExportCertificatePem();

    // SslStream wants a certificate whose key came from a PKCS#12 store, not an ephemeral one.
    private static X509Certificate2 Reload(X509Certificate2 certificate) =>
        X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), password: null);
}

/// <summary>Routes (method, path) to canned answers; anything else gets Vault's 404 shape.</summary>
internal sealed class ScriptedVault
{
    private readonly ConcurrentDictionary<string, Func<RecordedRequest, FakeResponse>> _routes = new();

    public ScriptedVault On(string method, string path, FakeResponse response) => On(method, path, _ => response);

    public ScriptedVault On(string method, string path, Func<RecordedRequest, FakeResponse> respond)
    {
        _routes[$"{method} {path}"] = respond;
        return this;
    }

    public FakeResponse Handle(RecordedRequest request) =>
        _routes.TryGetValue($"{request.Method} {request.Path}", out var respond)
            ? respond(request)
            : FakeResponse.Json(404, """{"errors":[]}""");
}

/// <summary>Response bodies shaped as Vault's API documentation shows them.</summary>
internal static class VaultSamples
{
    public const string HealthActive = """
        {"initialized":true,"sealed":false,"standby":false,"performance_standby":false,
         "replication_performance_mode":"disabled","replication_dr_mode":"disabled",
         "server_time_utc":1516639589,"version":"1.21.1","enterprise":false,
         "cluster_name":"vault-cluster-3bd69ca2","cluster_id":"00af5aa8-c87d-b5fc-e82e-97cd8dfaf731",
         "echo_duration_ms":0,"clock_skew_ms":0,"replication_primary_canary_age_ms":0,
         "removed_from_cluster":false,"ha_connection_healthy":true,"last_request_forwarding_heartbeat_ms":0}
        """;

    public const string HealthStandby = """
        {"initialized":true,"sealed":false,"standby":true,"performance_standby":false,
         "replication_performance_mode":"disabled","replication_dr_mode":"disabled",
         "server_time_utc":1516639590,"version":"1.21.1","enterprise":false,
         "cluster_name":"vault-cluster-3bd69ca2","cluster_id":"00af5aa8-c87d-b5fc-e82e-97cd8dfaf731",
         "echo_duration_ms":1,"clock_skew_ms":0,"replication_primary_canary_age_ms":0,
         "removed_from_cluster":false,"ha_connection_healthy":true,"last_request_forwarding_heartbeat_ms":1200}
        """;

    public const string HealthSealed = """
        {"initialized":true,"sealed":true,"standby":true,"performance_standby":false,
         "replication_performance_mode":"unknown","replication_dr_mode":"unknown",
         "server_time_utc":1516639591,"version":"1.21.1","enterprise":false,
         "echo_duration_ms":0,"clock_skew_ms":0,"replication_primary_canary_age_ms":0,"removed_from_cluster":false}
        """;

    public const string HealthUninitialized = """
        {"initialized":false,"sealed":true,"standby":true,"performance_standby":false,
         "replication_performance_mode":"unknown","replication_dr_mode":"unknown",
         "server_time_utc":1516639592,"version":"1.21.1","enterprise":false,
         "echo_duration_ms":0,"clock_skew_ms":0,"replication_primary_canary_age_ms":0,"removed_from_cluster":false}
        """;

    public const string LeaderActive = """
        {"ha_enabled":true,"is_self":true,"active_time":"2025-05-01T10:00:00.123456789Z",
         "leader_address":"https://172.18.255.200:8200","leader_cluster_address":"https://172.18.255.200:8201",
         "performance_standby":false,"performance_standby_last_remote_wal":0,
         "raft_committed_index":164,"raft_applied_index":164}
        """;

    public const string LeaderStandby = """
        {"ha_enabled":true,"is_self":false,"active_time":"0001-01-01T00:00:00Z",
         "leader_address":"https://172.18.255.200:8200","leader_cluster_address":"https://172.18.255.200:8201",
         "performance_standby":false,"performance_standby_last_remote_wal":0,
         "raft_committed_index":164,"raft_applied_index":163}
        """;

    public const string SealStatusTransit = """
        {"type":"transit","initialized":true,"sealed":false,"t":1,"n":1,"progress":0,"nonce":"",
         "version":"1.21.1","build_date":"2025-10-20T00:00:00Z","migration":false,
         "cluster_name":"vault-cluster-3bd69ca2","cluster_id":"00af5aa8-c87d-b5fc-e82e-97cd8dfaf731",
         "recovery_seal":true,"storage_type":"raft"}
        """;

    public const string RaftConfiguration = """
        {"request_id":"2b0ba5e7-e6d6-0e4e-1fd8-30b4e8f8e1b1","lease_id":"","renewable":false,"lease_duration":0,
         "data":{"config":{"index":0,"servers":[
           {"address":"172.18.255.200:8201","leader":true,"node_id":"vault-primary","protocol_version":"3","voter":true},
           {"address":"172.18.255.208:8201","leader":false,"node_id":"vault-secondary","protocol_version":"3","voter":true},
           {"address":"172.18.255.216:8201","leader":false,"node_id":"vault-tertiary","protocol_version":"3","voter":true}]}},
         "wrap_info":null,"warnings":null,"auth":null,"mount_type":"system"}
        """;

    public const string AutopilotHealthy = """
        {"request_id":"8b1a4f5c-0d1e-4b7a-9c53-1a2b3c4d5e6f","lease_id":"","renewable":false,"lease_duration":0,
         "data":{"failure_tolerance":1,"healthy":true,"leader":"vault-primary",
          "servers":{
           "vault-primary":{"address":"172.18.255.200:8201","healthy":true,"id":"vault-primary","last_contact":"0s",
             "last_index":63,"last_term":3,"name":"vault-primary","node_status":"alive","node_type":"voter",
             "stable_since":"2025-05-01T10:00:45.639829+02:00","status":"leader","version":"1.21.1"},
           "vault-secondary":{"address":"172.18.255.208:8201","healthy":true,"id":"vault-secondary","last_contact":"678.62575ms",
             "last_index":63,"last_term":3,"name":"vault-secondary","node_status":"alive","node_type":"voter",
             "stable_since":"2025-05-01T10:00:47.640976+02:00","status":"voter","version":"1.21.1"},
           "vault-tertiary":{"address":"172.18.255.216:8201","healthy":true,"id":"vault-tertiary","last_contact":"3.969159375s",
             "last_index":63,"last_term":3,"name":"vault-tertiary","node_status":"alive","node_type":"voter",
             "stable_since":"2025-05-01T10:00:49.112233+02:00","status":"voter","version":"1.21.1"}},
          "voters":["vault-primary","vault-secondary","vault-tertiary"]},
         "wrap_info":null,"warnings":null,"auth":null,"mount_type":"system"}
        """;

    /// <summary>After the primary (old leader) died: secondary leads, primary unhealthy, no failure tolerance left.</summary>
    public const string AutopilotAfterLeaderLoss = """
        {"request_id":"9c2b5a6d-1e2f-4c8b-8d64-2b3c4d5e6f70","lease_id":"","renewable":false,"lease_duration":0,
         "data":{"failure_tolerance":0,"healthy":false,"leader":"vault-secondary",
          "servers":{
           "vault-primary":{"address":"172.18.255.200:8201","healthy":false,"id":"vault-primary","last_contact":"14.2s",
             "last_index":63,"last_term":3,"name":"vault-primary","node_status":"alive","node_type":"voter",
             "stable_since":"2025-05-01T10:05:01.000000+02:00","status":"voter","version":"1.21.1"},
           "vault-secondary":{"address":"172.18.255.208:8201","healthy":true,"id":"vault-secondary","last_contact":"0s",
             "last_index":70,"last_term":4,"name":"vault-secondary","node_status":"alive","node_type":"voter",
             "stable_since":"2025-05-01T10:05:01.000000+02:00","status":"leader","version":"1.21.1"},
           "vault-tertiary":{"address":"172.18.255.216:8201","healthy":true,"id":"vault-tertiary","last_contact":"201.5ms",
             "last_index":70,"last_term":4,"name":"vault-tertiary","node_status":"alive","node_type":"voter",
             "stable_since":"2025-05-01T10:05:03.000000+02:00","status":"voter","version":"1.21.1"}},
          "voters":["vault-primary","vault-secondary","vault-tertiary"]},
         "wrap_info":null,"warnings":null,"auth":null,"mount_type":"system"}
        """;

    public const string PermissionDenied = """{"errors":["permission denied"]}""";

    public static string KvWriteAnswer(int version) => $$"""
        {"request_id":"1f2e3d4c","lease_id":"","renewable":false,"lease_duration":0,
         "data":{"created_time":"2025-05-01T10:00:00.000000Z","custom_metadata":null,"deletion_time":"","destroyed":false,"version":{{version}}},
         "wrap_info":null,"warnings":null,"auth":null,"mount_type":"kv"}
        """;

    public static string KvReadAnswer(string dataJson, int version) => $$$"""
        {"request_id":"5a6b7c8d","lease_id":"","renewable":false,"lease_duration":0,
         "data":{"data":{{{dataJson}}},
                 "metadata":{"created_time":"2025-05-01T10:00:00.000000Z","custom_metadata":null,"deletion_time":"","destroyed":false,"version":{{{version}}}}},
         "wrap_info":null,"warnings":null,"auth":null,"mount_type":"kv"}
        """;

    public static string OrphanTokenAnswer(string token) => $$"""
        {"request_id":"0a1b2c3d","lease_id":"","renewable":false,"lease_duration":0,"data":null,"wrap_info":null,"warnings":null,
         "auth":{"client_token":"{{token}}","accessor":"kqPOgnf0zUkbiKqE9KRvhsLQ",
                 "policies":["default","multidc-autounseal","multidc-unseal-keys"],
                 "token_policies":["default","multidc-autounseal","multidc-unseal-keys"],
                 "metadata":null,"lease_duration":2764800,"renewable":true,"entity_id":"","token_type":"service","orphan":true,
                 "mfa_requirement":null,"num_uses":0},
         "mount_type":"token"}
        """;

    public const string TransitKeyAnswer = """
        {"request_id":"7e8f9a0b","lease_id":"","renewable":false,"lease_duration":0,
         "data":{"allow_plaintext_backup":false,"auto_rotate_period":0,"deletion_allowed":false,"derived":false,
                 "exportable":false,"imported_key":false,"keys":{"1":1746093600},"latest_version":1,
                 "min_available_version":0,"min_decryption_version":1,"min_encryption_version":0,"name":"autounseal",
                 "supports_decryption":true,"supports_derivation":true,"supports_encryption":true,"supports_signing":false,
                 "type":"aes256-gcm96"},
         "wrap_info":null,"warnings":null,"auth":null,"mount_type":"transit"}
        """;

    public const string LookupSelfAnswer = """
        {"request_id":"3c4d5e6f","lease_id":"","renewable":false,"lease_duration":0,
         "data":{"accessor":"8609694a-cdbc-db9b-d345-e782dbb562ed","display_name":"root","policies":["root"],"ttl":0,"type":"service"},
         "wrap_info":null,"warnings":null,"auth":null,"mount_type":"token"}
        """;
}

/// <summary>Finds a local hashicorp/vault image for the one test that runs a real central Vault (it never pulls).</summary>
internal static class LocalVaultImage
{
    public static async Task<string?> FindAsync(CancellationToken cancellationToken)
    {
        var named = System.Environment.GetEnvironmentVariable("MULTIDC_TEST_VAULT_IMAGE");
        if (!string.IsNullOrWhiteSpace(named))
        {
            var inspect = await RunAsync(["image", "inspect", "--format", "{{.Id}}", named], cancellationToken);
            return inspect.ExitCode == 0 ? named : null;
        }

        var images = await RunAsync(["images", "hashicorp/vault", "--format", "{{.Repository}}:{{.Tag}}"], cancellationToken);
        return images.ExitCode == 0
            ? images.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .FirstOrDefault(i => !i.EndsWith(":<none>", StringComparison.Ordinal))
            : null;
    }

    private static async Task<(int ExitCode, string Stdout)> RunAsync(IEnumerable<string> args, CancellationToken cancellationToken)
    {
        var start = new System.Diagnostics.ProcessStartInfo("docker")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        try
        {
            using var process = System.Diagnostics.Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            _ = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            return (process.ExitCode, await stdout);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (127, string.Empty);
        }
    }
}
