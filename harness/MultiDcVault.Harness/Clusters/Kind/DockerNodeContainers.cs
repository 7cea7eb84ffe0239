using MultiDcVault.Harness.Clusters.Docker;
using MultiDcVault.Harness.Faults;
using MultiDcVault.Harness.Infrastructure.Docker;

namespace MultiDcVault.Harness.Clusters.Kind;

/// <summary>The faults' <see cref="INodeContainers"/> over the Docker Engine API (exec as root, pause, unpause, stop, start, inspect).</summary>
internal sealed class DockerNodeContainers(DockerConnection connection) : INodeContainers
{
    public async Task<NodeExecResult> ExecAsync(string container, IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        var docker = await connection.GetAsync(cancellationToken);
        var result = await docker.Exec.RunAsync(container, command, new ExecOptions { User = "root", Privileged = true }, cancellationToken);
        return new NodeExecResult((int)result.ExitCode, result.Stdout, result.Stderr);
    }

    public async Task PauseAsync(string container, CancellationToken cancellationToken) =>
        await (await connection.GetAsync(cancellationToken)).Containers.PauseAsync(container, cancellationToken);

    public async Task UnpauseAsync(string container, CancellationToken cancellationToken) =>
        await (await connection.GetAsync(cancellationToken)).Containers.UnpauseAsync(container, cancellationToken);

    public async Task<bool> IsPausedAsync(string container, CancellationToken cancellationToken) =>
        (await (await connection.GetAsync(cancellationToken)).Containers.InspectAsync(container, cancellationToken)).State?.Paused == true;

    public async Task StopAsync(string container, TimeSpan timeout, CancellationToken cancellationToken) =>
        await (await connection.GetAsync(cancellationToken)).Containers.StopAsync(container, timeout, cancellationToken);

    public async Task StartAsync(string container, CancellationToken cancellationToken) =>
        await (await connection.GetAsync(cancellationToken)).Containers.StartAsync(container, cancellationToken);

    public async Task<NodeContainerState> InspectAsync(string container, string network, CancellationToken cancellationToken)
    {
        var inspected = await (await connection.GetAsync(cancellationToken)).Containers.TryInspectAsync(container, cancellationToken);
        if (inspected is null)
        {
            return NodeContainerState.Missing;
        }

        // A stopped container keeps its endpoint entry with empty addresses: Docker releases them on stop.
        var endpoint = inspected.NetworkSettings?.Networks is { } networks && networks.TryGetValue(network, out var found) ? found : null;
        return new NodeContainerState(
            true,
            inspected.State?.Running == true,
            inspected.State?.Paused == true,
            string.IsNullOrEmpty(endpoint?.IPAddress) ? null : endpoint.IPAddress,
            string.IsNullOrEmpty(endpoint?.GlobalIPv6Address) ? null : endpoint.GlobalIPv6Address);
    }
}
