namespace MultiDcVault.Harness.Configuration;

/// <summary>Every problem found in the options, reported together so one run fixes them all.</summary>
public sealed class OptionsValidationException : Exception
{
    public OptionsValidationException()
        : this([])
    {
    }

    public OptionsValidationException(string message)
        : this([message])
    {
    }

    public OptionsValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    public OptionsValidationException(IReadOnlyList<string> problems)
        : base(Format(problems))
    {
        Problems = problems;
    }

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
