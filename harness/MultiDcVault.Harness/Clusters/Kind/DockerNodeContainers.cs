using MultiDcVault.Harness.Clusters.Docker;
using MultiDcVault.Harness.Faults;
using MultiDcVault.Harness.Infrastructure.Docker;

namespace MultiDcVault.Harness.Clusters.Kind;

/// <summary>The faults' <see cref="INodeContainers"/> over the Docker Engine API (exec as root, pause, unpause).</summary>
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
}
