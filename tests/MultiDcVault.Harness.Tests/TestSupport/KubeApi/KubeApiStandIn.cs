using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MultiDcVault.Harness.Infrastructure.Kubernetes;

namespace MultiDcVault.Harness.Tests.TestSupport.KubeApi;

/// <summary>
/// A recording HTTPS Kubernetes API stand-in on 127.0.0.1: TLS with its own CA, client certificates required
/// (as kind's API server does), HTTP/1.1. Answers come from <see cref="StandInApi"/>; every request is recorded.
/// Its kubeconfig (like kind's, certificates embedded) has the stand-in's context and a current-context that
/// points at a dead port, so only callers that name the context reach it.
/// </summary>
internal sealed class KubeApiStandIn : IAsyncDisposable
{
    public const string Context = "kind-standin";
    public const string WrongCurrentContext = "kind-elsewhere";

    private readonly TcpListener _listener;
    private readonly StandInCertificates _certificates;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly Lock _gate = new();
    private readonly Task _accepting;

    private KubeApiStandIn(string directory)
    {
        _certificates = StandInCertificates.Create();
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        KubeconfigPath = Path.Combine(directory, "standin.kubeconfig");
        File.WriteAllText(KubeconfigPath, Kubeconfig());
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    public string KubeconfigPath { get; }

    public KubeTarget Target => new(KubeconfigPath, Context);

    public StandInApi Api { get; } = new();

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    public static KubeApiStandIn Start(string directory) => new(directory);

    public void ClearRequests()
    {
        lock (_gate)
        {
            _requests.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // stopped
        }

        _certificates.Dispose();
        _stop.Dispose();
    }

    private string Kubeconfig()
    {
        static string Data(string pem) => Convert.ToBase64String(Encoding.ASCII.GetBytes(pem));
        return $$"""
            apiVersion: v1
            kind: Config
            clusters:
            - cluster:
                certificate-authority-data: {{Data(_certificates.Ca.ExportCertificatePem())}}
                server: https://127.0.0.1:{{Port}}
              name: {{Context}}
            - cluster:
                certificate-authority-data: {{Data(_certificates.Ca.ExportCertificatePem())}}
                server: https://127.0.0.1:1
              name: {{WrongCurrentContext}}
            contexts:
            - context:
                cluster: {{Context}}
                user: {{Context}}
              name: {{Context}}
            - context:
                cluster: {{WrongCurrentContext}}
                user: {{Context}}
              name: {{WrongCurrentContext}}
            current-context: {{WrongCurrentContext}}
            preferences: {}
            users:
            - name: {{Context}}
              user:
                client-certificate-data: {{Data(_certificates.Client.ExportCertificatePem())}}
                client-key-data: {{Data(_certificates.ClientKeyPem)}}

            """;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var socket = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(() => ServeAsync(socket), _stop.Token);
        }
    }

    private async Task ServeAsync(TcpClient socket)
    {
        using var _ = socket;
        try
        {
            var clientVerified = false;
            await using var tls = new SslStream(socket.GetStream(), false, (_, certificate, _, _) =>
            {
                clientVerified = certificate is not null && VerifiedByCa(certificate);
                return clientVerified;
            });
            await tls.AuthenticateAsServerAsync(
                new SslServerAuthenticationOptions
                {
                    ServerCertificate = _certificates.Server,
                    ClientCertificateRequired = true,
                    EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                    ApplicationProtocols = [SslApplicationProtocol.Http11],
                },
                _stop.Token);
            var reader = new HttpRequestReader(tls);
            while (await reader.ReadAsync(_stop.Token) is { } raw)
            {
                var request = new RecordedRequest(raw.Method, raw.Path, raw.Query, raw.Header("Content-Type"), raw.Header("Accept"), raw.Body, clientVerified);
                lock (_gate)
                {
                    _requests.Add(request);
                }

                var response = Api.Answer(request);
                if (response.Delay > TimeSpan.Zero)
                {
                    // An API server that does not answer in time (a request timeout must fire, not a hang).
                    await Task.Delay(response.Delay, _stop.Token);
                }
                var body = Encoding.UTF8.GetBytes(response.Body);
                var head = $"HTTP/1.1 {response.Status} {(HttpStatusCode)response.Status}\r\nContent-Type: {response.ContentType}\r\nContent-Length: {body.Length}\r\n\r\n";
                await tls.WriteAsync(Encoding.ASCII.GetBytes(head), _stop.Token);
                await tls.WriteAsync(body, _stop.Token);
                await tls.FlushAsync(_stop.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or AuthenticationException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // The client went away or failed TLS (e.g. a probe of a wrong context): nothing to answer.
        }
    }

    private bool VerifiedByCa(X509Certificate certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_certificates.Ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }
}
