namespace MultiDcVault.Harness.Configuration;

/// <summary>Every problem found in the options, reported together so one run fixes them all.</summary>
public sealed class OptionsValidationException : Exception
{
    /// <summary>An exception with no problems listed (the standard exception constructor).</summary>
    public OptionsValidationException()
        : this([])
    {
    }

    /// <summary>One problem, given in <paramref name="message"/>.</summary>
    public OptionsValidationException(string message)
        : this([message])
    {
    }

    /// <summary>One problem, given in <paramref name="message"/>, caused by <paramref name="innerException"/>.</summary>
    public OptionsValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    /// <summary>Every problem found; the message lists them all, one per line.</summary>
    public OptionsValidationException(IReadOnlyList<string> problems)
        : base(Format(problems))
    {
        Problems = problems;
    }

    /// <summary>Each invalid setting in words a person can act on; empty only when built with no problems.</summary>
    public IReadOnlyList<string> Problems { get; }

    private static string Format(IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        return problems.Count == 1
            ? $"Invalid MultiDcVault setting: {problems[0]}"
            : $"{problems.Count} invalid MultiDcVault settings:{System.Environment.NewLine}"
              + string.Join(System.Environment.NewLine, problems.Select(p => $"  - {p}"));
    }
}
