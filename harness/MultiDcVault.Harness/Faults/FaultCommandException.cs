
namespace MultiDcVault.Harness.Faults;

/// <summary>A command run inside a node container to inject or heal a fault failed.</summary>
internal sealed class FaultCommandException : Exception
{
    public FaultCommandException()
    {
    }

    public FaultCommandException(string message)
        : base(message)
    {
    }

    public FaultCommandException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public FaultCommandException(NodeCommand command, NodeExecResult result, string hint)
        : base(BuildMessage(command, result, hint))
    {
        Command = command;
        Result = result;
    }

    public NodeCommand? Command { get; }

    public NodeExecResult? Result { get; }

    private static string BuildMessage(NodeCommand command, NodeExecResult result, string hint)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(result);
        var output = Tail(string.IsNullOrWhiteSpace(result.StandardError) ? result.StandardOutput : result.StandardError);
        return $"'{string.Join(' ', command.Arguments)}' failed in node container '{command.Container}' " +
               $"with exit code {result.ExitCode}: {output}. {hint}";
    }

    private static string Tail(string text)
    {
        const int max = 2000;
        var trimmed = text.Trim();
        return trimmed.Length <= max ? trimmed : "..." + trimmed[^max..];
    }
}
