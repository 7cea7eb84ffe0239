
namespace MultiDcVault.Harness.Faults;

/// <summary>Result of a command run inside a node container.</summary>
internal sealed record NodeExecResult(int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;
}

/// <summary>A node container's run state and its addresses on one network, as the engine reports them now.</summary>
/// <param name="Exists">False when no container of that name exists (the other fields are then empty).</param>
/// <param name="IPv4Address">Its IPv4 address on the network asked about; null when stopped or not attached.</param>
internal sealed record NodeContainerState(bool Exists, bool Running, bool Paused, string? IPv4Address, string? IPv6Address)
{
    public static NodeContainerState Missing { get; } = new(false, false, false, null, null);
}

/// <summary>
/// What the faults need from the container engine: exec as root in a (privileged) kind node
/// container, pause/unpause it, stop/start it (the power cycle) and read its state and addresses.
/// Orchestration adapts the Docker client to this.
/// </summary>
internal interface INodeContainers
{
    /// <summary>Runs <paramref name="command"/> (argv, no shell) in the container and returns its exit code and output; does not throw on non-zero exit.</summary>
    Task<NodeExecResult> ExecAsync(string container, IReadOnlyList<string> command, CancellationToken cancellationToken);

    Task PauseAsync(string container, CancellationToken cancellationToken);

    Task UnpauseAsync(string container, CancellationToken cancellationToken);

    Task<bool> IsPausedAsync(string container, CancellationToken cancellationToken);

    /// <summary>docker stop: the image's stop signal, then SIGKILL after <paramref name="timeout"/>; no error when already stopped.</summary>
    Task StopAsync(string container, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>docker start; no error when it already runs.</summary>
    Task StartAsync(string container, CancellationToken cancellationToken);

    /// <summary>The container's state and its addresses on <paramref name="network"/>; <see cref="NodeContainerState.Missing"/> when it does not exist.</summary>
    Task<NodeContainerState> InspectAsync(string container, string network, CancellationToken cancellationToken);
}
