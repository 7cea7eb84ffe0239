using MultiDcVault.Harness.Infrastructure.Docker;

namespace MultiDcVault.Harness.Clusters.Docker;

/// <summary>
/// Connects to the Docker engine on first use and keeps the client. Creating an environment object
/// must not touch Docker; the preflight is the first thing that does.
/// </summary>
internal sealed class DockerConnection : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Func<CancellationToken, Task<DockerClient>> _connect;
    private DockerClient? _client;

    public DockerConnection(Func<CancellationToken, Task<DockerClient>>? connect = null) =>
        _connect = connect ?? DockerClient.ConnectAsync;

    public async Task<DockerClient> GetAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _client) is { } existing)
        {
            return existing;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            return _client ??= await _connect(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _client?.Dispose();
        _gate.Dispose();
    }
}
