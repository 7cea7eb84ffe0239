namespace MultiDcVault.Harness.Infrastructure.Processes;

/// <summary>Runs CLIs (kind, kubectl, helm). The real one is <see cref="ProcessRunner"/>; orchestration tests script one.</summary>
internal interface IProcessRunner
{
    Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken);
}
