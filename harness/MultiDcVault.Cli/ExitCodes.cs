namespace MultiDcVault.Cli;

/// <summary>Process exit codes of <c>multidc</c>; documented in --help and the README.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The command ran but the environment is unhealthy, an operation failed, or the session has no environment.</summary>
    public const int Failed = 1;

    /// <summary>Bad input: unknown option, invalid value, impossible plan. Nothing was changed.</summary>
    public const int BadInput = 2;

    /// <summary>Prerequisites missing (Docker, kind, helm, kernel limits). Nothing was changed.</summary>
    public const int PrerequisitesMissing = 3;

    /// <summary>Interrupted (Ctrl-C).</summary>
    public const int Cancelled = 130;

    public const string HelpText =
        "Exit codes: 0 ok; 1 failed, degraded or no environment for the session; 2 bad input (nothing changed); " +
        "3 prerequisites missing (nothing changed); 130 interrupted.";
}
