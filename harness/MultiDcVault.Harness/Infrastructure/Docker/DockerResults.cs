namespace MultiDcVault.Harness.Infrastructure.Docker;

/// <summary>A container's or an exec's output, split into stdout and stderr.</summary>
internal sealed record ContainerOutput(string Stdout, string Stderr);

/// <summary>What a command run inside a container did; a non-zero exit is a result, not an error.</summary>
internal sealed record ExecResult(long ExitCode, string Stdout, string Stderr)
{
    public bool Succeeded => ExitCode == 0;
}

/// <summary>One line of the pull progress stream.</summary>
internal sealed record ImagePullProgress(string? Id, string Status, string? Progress);
