using System.Net;
using System.Net.Sockets;
using MultiDcVault.Harness.Kubectl;

namespace MultiDcVault.Harness.Orchestration;

/// <summary>
/// How this process reaches each datacenter's Vault. On Linux the LB IPs on the Docker network are
/// routable from the host: https://&lt;lb-ip&gt;:8200. On Docker Desktop they are not, so each cluster
/// gets a kubectl port-forward to svc/vault-&lt;name&gt; on 127.0.0.1; the operator's certificate lists
/// 127.0.0.1, so TLS still verifies against the cluster CA. Disposing stops the port-forwards.
/// </summary>
public sealed class VaultHostAccess(KubectlCli kubectl, Func<CancellationToken, Task<bool>> needsPortForwarding, string @namespace) : IAsyncDisposable
{
    public const int VaultPort = 8200;

    private readonly Lock _gate = new();
    private readonly List<PortForwardSession> _sessions = [];
    private bool? _portForward;

    public async Task<Uri> ExposeAsync(KubeTarget target, string vaultName, string loadBalancerIp, CancellationToken cancellationToken)
    {
        _portForward ??= await needsPortForwarding(cancellationToken);
        if (!_portForward.Value)
        {
            return DirectAddress(loadBalancerIp);
        }

        var session = await kubectl.PortForwardAsync(target, @namespace, $"svc/{vaultName}", VaultPort, cancellationToken);
        lock (_gate)
        {
            _sessions.Add(session);
        }

        return session.HttpsUri;
    }

    public static Uri DirectAddress(string loadBalancerIp)
    {
        var host = IPAddress.TryParse(loadBalancerIp, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{loadBalancerIp}]" : loadBalancerIp;
        return new Uri($"https://{host}:{VaultPort}");
    }

    public async ValueTask DisposeAsync()
    {
        PortForwardSession[] sessions;
        lock (_gate)
        {
            sessions = [.. _sessions];
            _sessions.Clear();
        }

        foreach (var session in sessions)
        {
            await session.DisposeAsync();
        }
    }
}
