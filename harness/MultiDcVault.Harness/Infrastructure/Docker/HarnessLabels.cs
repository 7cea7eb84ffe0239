namespace MultiDcVault.Harness.Infrastructure.Docker;

/// <summary>
/// Labels put on every Docker object the harness creates, so `down`, the sweeper and CI cleanup
/// can find exactly one session's leftovers (or all of them) by label filter.
/// </summary>
internal static class HarnessLabels
{
    /// <summary>Identifies the environment (session) an object belongs to.</summary>
    public const string Session = "io.multidc-vault.session";

    /// <summary>What the object is for, e.g. "central-vault", "shared-network", "test".</summary>
    public const string Role = "io.multidc-vault.role";

    public static IReadOnlyDictionary<string, string> For(string sessionId, string role)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sessionId);
        ArgumentException.ThrowIfNullOrWhiteSpace(role);
        return new Dictionary<string, string>(StringComparer.Ordinal) { [Session] = sessionId, [Role] = role };
    }

    /// <summary>List filter for one session's objects.</summary>
    public static IReadOnlyDictionary<string, string?> SessionFilter(string sessionId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sessionId);
        return new Dictionary<string, string?>(StringComparer.Ordinal) { [Session] = sessionId };
    }

    /// <summary>List filter for objects of any session.</summary>
    public static IReadOnlyDictionary<string, string?> AnySessionFilter { get; } =
        new Dictionary<string, string?>(StringComparer.Ordinal) { [Session] = null };

    /// <summary>A fresh session id: short, lower-case, valid inside Docker object names.</summary>
    public static string NewSessionId() => Guid.NewGuid().ToString("N")[..12];
}
