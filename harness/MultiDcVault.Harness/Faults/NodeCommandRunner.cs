namespace MultiDcVault.Harness.Faults;

/// <summary>Runs <see cref="NodeCommand"/>s in order and stops at the first real failure.</summary>
internal static class NodeCommandRunner
{
    public static async Task RunAsync(
        INodeContainers containers,
        IEnumerable<NodeCommand> commands,
        string failureHint,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(containers);
        ArgumentNullException.ThrowIfNull(commands);
        foreach (var command in commands)
        {
            var result = await containers.ExecAsync(command.Container, command.Arguments, cancellationToken);
            if (!command.IsTolerated(result))
            {
                throw new FaultCommandException(command, result, failureHint);
            }
        }
    }

    /// <summary>
    /// Runs every command even when some fail, then throws one exception listing the failures:
    /// a heal must remove as much as it can, not stop at the first node that misbehaves.
    /// </summary>
    public static async Task RunAllAsync(
        INodeContainers containers,
        IEnumerable<NodeCommand> commands,
        string failureHint,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(containers);
        ArgumentNullException.ThrowIfNull(commands);
        var failures = new List<Exception>();
        foreach (var command in commands)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var result = await containers.ExecAsync(command.Container, command.Arguments, cancellationToken);
                if (!command.IsTolerated(result))
                {
                    failures.Add(new FaultCommandException(command, result, failureHint));
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failures.Add(new FaultCommandException($"'{command}' could not be run: {ex.Message}. {failureHint}", ex));
            }
        }

        if (failures.Count == 1)
        {
            throw failures[0];
        }

        if (failures.Count > 1)
        {
            throw new AggregateException($"{failures.Count} heal commands failed. {failureHint}", failures);
        }
    }
}
