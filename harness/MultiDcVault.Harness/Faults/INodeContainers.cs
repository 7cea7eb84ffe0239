
namespace MultiDcVault.Harness.Faults;

/// <summary>Result of a command run inside a node container.</summary>
internal sealed record NodeExecResult(int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;
}

/// <summary>
/// What the faults need from the container engine: exec as root in a (privileged) kind node
/// container, and pause/unpause it. Orchestration adapts the Docker client to this.
/// </summary>
internal interface INodeContainers
{
    /// <summary>Runs <paramref name="command"/> (argv, no shell) in the container and returns its exit code and output; does not throw on non-zero exit.</summary>
    Task<NodeExecResult> ExecAsync(string container, IReadOnlyList<string> command, CancellationToken cancellationToken);

    Task PauseAsync(string container, CancellationToken cancellationToken);

    Task UnpauseAsync(string container, CancellationToken cancellationToken);

    Task<bool> IsPausedAsync(string container, CancellationToken cancellationToken);
}
