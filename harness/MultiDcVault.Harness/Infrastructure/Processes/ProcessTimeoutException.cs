namespace MultiDcVault.Harness.Infrastructure.Processes;

/// <summary>A CLI ran longer than its <see cref="ProcessSpec.Timeout"/>; its whole process tree was killed.</summary>
internal sealed class ProcessTimeoutException : TimeoutException
{
    public ProcessTimeoutException(string commandLine, TimeSpan timeout, string standardErrorTail)
        : base(BuildMessage(commandLine, timeout, standardErrorTail))
    {
        CommandLine = commandLine;
        Timeout = timeout;
        StandardErrorTail = standardErrorTail;
    }

    public string CommandLine { get; }

    public TimeSpan Timeout { get; }

    public string StandardErrorTail { get; }

    private static string BuildMessage(string commandLine, TimeSpan timeout, string stderrTail)
    {
        var message = $"Command timed out after {timeout} and was killed (with its child processes): {commandLine}";
        return stderrTail.Length > 0
            ? $"{message}{System.Environment.NewLine}stderr (last lines):{System.Environment.NewLine}{stderrTail}"
            : message;
    }
}
