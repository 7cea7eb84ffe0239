using MultiDcVault.Harness.Infrastructure.Secrets;

namespace MultiDcVault.Harness.Infrastructure.Processes;

/// <summary>One CLI invocation: arguments are passed as a list, never through a shell.</summary>
internal sealed record ProcessSpec(string FileName, IReadOnlyList<string> Arguments)
{
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    public string? WorkingDirectory { get; init; }

    /// <summary>Written to stdin, then stdin is closed (e.g. a manifest for kubectl apply -f -).</summary>
    public string? StandardInput { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Values that must never appear in logs or exception messages.</summary>
    public IReadOnlyList<SecretValue> Secrets { get; init; } = [];

    /// <summary>When false, a non-zero exit code is returned instead of thrown.</summary>
    public bool ThrowOnNonZeroExit { get; init; } = true;

    /// <summary>
    /// When false, output lines are not streamed to the log (e.g. `kubectl get secret -o json`,
    /// whose base64 data no token-shaped pattern would catch). Errors still carry the redacted stderr tail.
    /// </summary>
    public bool LogOutput { get; init; } = true;
}
