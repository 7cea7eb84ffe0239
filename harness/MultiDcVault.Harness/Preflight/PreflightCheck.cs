namespace MultiDcVault.Harness.Preflight;

/// <summary>The verdict of one <see cref="PreflightCheck"/>.</summary>
public enum PreflightStatus
{
    /// <summary>Checked and fine.</summary>
    Ok,

    /// <summary>Likely to cause trouble, but `up` may still work.</summary>
    Warn,

    /// <summary>`up` cannot work until this is fixed.</summary>
    Fail,

    /// <summary>Not checked: nothing to check it against yet (the detail says what was missing).</summary>
    Skip,
}

/// <summary>One doctor finding: what was checked, the verdict, what is wrong and how to fix it.</summary>
public sealed record PreflightCheck(string Name, PreflightStatus Status, string Detail, string? Fix = null)
{
    /// <summary>A check that passed; <paramref name="detail"/> says what was found.</summary>
    public static PreflightCheck Ok(string name, string detail) => new(name, PreflightStatus.Ok, detail);

    /// <summary>A likely problem that need not stop up; <paramref name="fix"/> says what to do about it.</summary>
    public static PreflightCheck Warn(string name, string detail, string fix) => new(name, PreflightStatus.Warn, detail, fix);

    /// <summary>A check that could not be made; <paramref name="detail"/> says why.</summary>
    public static PreflightCheck Skipped(string name, string detail) => new(name, PreflightStatus.Skip, detail);

    /// <summary>A problem up cannot get past; <paramref name="fix"/> says what to do about it.</summary>
    public static PreflightCheck Fail(string name, string detail, string fix) => new(name, PreflightStatus.Fail, detail, fix);

    /// <summary>"[FAIL] helm: not found ... Fix: install ...", one line per check.</summary>
    public string ToLine()
    {
        var tag = Status switch
        {
            PreflightStatus.Ok => "[ OK ]",
            PreflightStatus.Warn => "[WARN]",
            PreflightStatus.Skip => "[SKIP]",
            _ => "[FAIL]",
        };
        return Fix is null ? $"{tag} {Name}: {Detail}" : $"{tag} {Name}: {Detail} Fix: {Fix}";
    }
}

/// <summary>Every finding of a preflight (<c>multidc doctor</c>, or the checks before up).</summary>
/// <param name="Checks">The findings in the order they were checked.</param>
public sealed record PreflightReport(IReadOnlyList<PreflightCheck> Checks)
{
    /// <summary>True when any check failed: up cannot work until it is fixed.</summary>
    public bool HasFailures => Checks.Any(c => c.Status == PreflightStatus.Fail);

    /// <summary>True when any check warned.</summary>
    public bool HasWarnings => Checks.Any(c => c.Status == PreflightStatus.Warn);

    /// <summary>One line per check (<see cref="PreflightCheck.ToLine"/>).</summary>
    public IReadOnlyList<string> Lines => [.. Checks.Select(c => c.ToLine())];

    /// <summary>The lines of every check, one per line.</summary>
    public override string ToString() => string.Join(System.Environment.NewLine, Lines);
}
