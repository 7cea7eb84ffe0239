namespace MultiDcVault.Harness.Infrastructure.Processes;

/// <summary>A CLI exited non-zero. Everything in it is already redacted.</summary>
internal sealed class ProcessFailedException : Exception
{
    public ProcessFailedException(string commandLine, int exitCode, string standardErrorTail, string standardOutputTail = "")
        : base(BuildMessage(commandLine, exitCode, standardErrorTail, standardOutputTail))
    {
        CommandLine = commandLine;
        ExitCode = exitCode;
        StandardErrorTail = standardErrorTail;
        StandardOutputTail = standardOutputTail;
    }

    /// <summary>The command as a person would type it, with secrets masked.</summary>
    public string CommandLine { get; }

    public int ExitCode { get; }

    /// <summary>The last lines of stderr (see <see cref="OutputTail.DefaultLines"/>), redacted.</summary>
    public string StandardErrorTail { get; }

    /// <summary>The last lines of stdout, redacted; some tools report errors there.</summary>
    public string StandardOutputTail { get; }

    private static string BuildMessage(string commandLine, int exitCode, string stderrTail, string stdoutTail)
    {
        var message = $"Command failed with exit code {exitCode}: {commandLine}";
        if (stderrTail.Length > 0)
        {
            return $"{message}{System.Environment.NewLine}stderr (last lines):{System.Environment.NewLine}{stderrTail}";
        }

        // Nothing on stderr: show stdout instead, since some tools print their errors there.
        return stdoutTail.Length > 0
            ? $"{message}{System.Environment.NewLine}stderr was empty; stdout (last lines):{System.Environment.NewLine}{stdoutTail}"
            : $"{message}{System.Environment.NewLine}(no output on stderr or stdout)";
    }
}
