using MultiDcVault.Harness.Infrastructure.Processes;

namespace MultiDcVault.Harness.Preflight;

/// <summary>Is a CLI installed (a file-system lookup, no process) and is it new enough (its version command)?</summary>
internal sealed class ToolCheck
{
    private readonly ToolVersionRequirement _requirement;
    private readonly Func<CancellationToken, Task<ToolVersion>> _readVersion;
    private readonly ExecutableResolver _resolver;

    public ToolCheck(ToolVersionRequirement requirement, ExecutableResolver resolver, Func<CancellationToken, Task<ToolVersion>> readVersion)
    {
        _requirement = requirement ?? throw new ArgumentNullException(nameof(requirement));
        _resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
        _readVersion = readVersion ?? throw new ArgumentNullException(nameof(readVersion));
    }

    public async Task<PreflightCheck> RunAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var name = _requirement.Executable;
        var hint = ToolInstallHints.For(name);
        var path = _resolver.TryResolve(name);
        if (path is null)
        {
            var where = _resolver.ToolDirectory is null ? "on PATH" : $"in {_resolver.ToolDirectory} or on PATH";
            return PreflightCheck.Fail(name, $"not found {where}.", hint);
        }

        ToolVersion version;
        try
        {
            using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeoutSource.CancelAfter(timeout);
            version = await _readVersion(timeoutSource.Token);
        }
        catch (Exception ex) when (ex is ProcessFailedException or ProcessTimeoutException or FormatException or ToolNotFoundException or InvalidOperationException
                                   || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return PreflightCheck.Fail(name, $"found at {path} but its version could not be read: {FirstLine(ex.Message)}", $"Run `{name} version` to see what is wrong; {hint}");
        }

        return version.IsAtLeast(_requirement.Minimum)
            ? PreflightCheck.Ok(name, $"{version} at {path}.")
            : PreflightCheck.Fail(name, $"{version} at {path} is older than the required {_requirement.Minimum.Core}.", hint);
    }

    private static string FirstLine(string text)
    {
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        return newline < 0 ? text : text[..newline];
    }
}
