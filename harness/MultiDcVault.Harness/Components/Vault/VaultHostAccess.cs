using System.Net.Sockets;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;
using MultiDcVault.Harness.Infrastructure.Kubernetes;

namespace MultiDcVault.Harness.Components.Vault;

/// <summary>
/// How this process reaches each datacenter's Vault. On Linux the LB IPs on the Docker network are
/// routable from the host: https://&lt;lb-ip&gt;:8200. On Docker Desktop they are not, so each cluster
/// gets a kubectl port-forward to svc/vault-&lt;name&gt; on 127.0.0.1 that is restarted on the same port
/// whenever its pod goes away (see <see cref="ResilientPortForward"/>); the operator's certificate lists
/// 127.0.0.1, so TLS still verifies against the cluster CA. Exposing the same Vault again returns the
/// same address. Disposing stops the port-forwards (the instance can expose again afterwards).
/// </summary>
internal sealed class VaultHostAccess(
    KubectlCli kubectl,
    Func<CancellationToken, Task<bool>> needsPortForwarding,
    string @namespace,
    ILogger? logger = null,
    TimeProvider? timeProvider = null,
    PortForwardRestartPolicy? restartPolicy = null) : IAsyncDisposable
{
    public const int VaultPort = 8200;

    private readonly ILogger _logger = logger ?? NullLogger.Instance;
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Kubeconfig, string Context, string Vault), ResilientPortForward> _forwards = [];
    private readonly SemaphoreSlim _starting = new(1, 1);
    private int _generation;
    private bool? _portForward;

    public async Task<Uri> ExposeAsync(KubeTarget target, string vaultName, string loadBalancerIp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        _portForward ??= await needsPortForwarding(cancellationToken);
        if (!_portForward.Value)
        {
            return DirectAddress(loadBalancerIp);
        }

        var key = (target.KubeconfigPath, target.Context, vaultName);

        // One start at a time, so a second expose of the same Vault reuses the first forward.
        await _starting.WaitAsync(cancellationToken);
        try
        {
            int generation;
            lock (_gate)
            {
                if (_forwards.TryGetValue(key, out var existing))
                {
                    return existing.HttpsUri;
                }

                generation = _generation;
            }

            var forward = await ResilientPortForward.StartAsync(
                kubectl, target, @namespace, $"svc/{vaultName}", VaultPort, _logger, cancellationToken, _time, restartPolicy);
            lock (_gate)
            {
                if (generation == _generation)
                {
                    _forwards[key] = forward;
                    return forward.HttpsUri;
                }
            }

            // DisposeAsync ran while this forward was starting: it must not outlive that.
            await forward.DisposeAsync();
            throw new OperationCanceledException($"Port-forwards were stopped while the one to svc/{vaultName} in {target.Context} was starting.");
        }
        finally
        {
            _starting.Release();
        }
    }

    public static Uri DirectAddress(string loadBalancerIp)
    {
        var host = IPAddress.TryParse(loadBalancerIp, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{loadBalancerIp}]" : loadBalancerIp;
        return new Uri($"https://{host}:{VaultPort}");
    }

    public async ValueTask DisposeAsync()
    {
        ResilientPortForward[] forwards;
        lock (_gate)
        {
            _generation++;
            forwards = [.. _forwards.Values];
            _forwards.Clear();
        }

        foreach (var forward in forwards)
        {
            await forward.DisposeAsync();
        }
    }
}
