namespace MultiDcVault.Harness.Preflight;

public enum PreflightStatus
{
    Ok,

    /// <summary>Likely to cause trouble, but `up` may still work.</summary>
    Warn,

    /// <summary>`up` cannot work until this is fixed.</summary>
    Fail,
}

/// <summary>One doctor finding: what was checked, the verdict, what is wrong and how to fix it.</summary>
public sealed record PreflightCheck(string Name, PreflightStatus Status, string Detail, string? Fix = null)
{
    public static PreflightCheck Ok(string name, string detail) => new(name, PreflightStatus.Ok, detail);

    public static PreflightCheck Warn(string name, string detail, string fix) => new(name, PreflightStatus.Warn, detail, fix);

    public static PreflightCheck Fail(string name, string detail, string fix) => new(name, PreflightStatus.Fail, detail, fix);

    /// <summary>"[FAIL] helm: not found ... Fix: install ...", one line per check.</summary>
    public string ToLine()
    {
        var tag = Status switch
        {
            PreflightStatus.Ok => "[ OK ]",
            PreflightStatus.Warn => "[WARN]",
            _ => "[FAIL]",
        };
        return Fix is null ? $"{tag} {Name}: {Detail}" : $"{tag} {Name}: {Detail} Fix: {Fix}";
    }
}

public sealed record PreflightReport(IReadOnlyList<PreflightCheck> Checks)
{
    public bool HasFailures => Checks.Any(c => c.Status == PreflightStatus.Fail);

    public bool HasWarnings => Checks.Any(c => c.Status == PreflightStatus.Warn);

    public IReadOnlyList<string> Lines => [.. Checks.Select(c => c.ToLine())];

    public override string ToString() => string.Join(System.Environment.NewLine, Lines);
}
