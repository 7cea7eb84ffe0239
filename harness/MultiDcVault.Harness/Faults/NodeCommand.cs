
namespace MultiDcVault.Harness.Faults;

/// <summary>
/// One command to run in a node container. A failing command whose output contains one of
/// <see cref="ToleratedErrors"/> counts as done (e.g. deleting a rule that is already gone);
/// any other failure is an error.
/// </summary>
internal sealed record NodeCommand(string Container, IReadOnlyList<string> Arguments, IReadOnlyList<string> ToleratedErrors)
{
    public static NodeCommand MustSucceed(string container, params IReadOnlyList<string> arguments) =>
        new(container, arguments, []);

    public static NodeCommand Tolerating(string container, IReadOnlyList<string> toleratedErrors, params IReadOnlyList<string> arguments) =>
        new(container, arguments, toleratedErrors);

    public bool IsTolerated(NodeExecResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Succeeded || ToleratedErrors.Any(e =>
            result.StandardError.Contains(e, StringComparison.OrdinalIgnoreCase) ||
            result.StandardOutput.Contains(e, StringComparison.OrdinalIgnoreCase));
    }

    public override string ToString() => $"[{Container}] {string.Join(' ', Arguments)}";
}
