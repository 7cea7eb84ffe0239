namespace MultiDcVault.Harness.Infrastructure.Processes;

internal sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError, TimeSpan Duration);
