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

    /// <summary>Host name of the process that created the object (see <see cref="OwnerLiveness"/>).</summary>
    public const string OwnerHost = "io.multidc-vault.owner.host";

    /// <summary>Process id of the process that created the object.</summary>
    public const string OwnerPid = "io.multidc-vault.owner.pid";

    /// <summary>Start stamp of the process that created the object, so a reused pid is not mistaken for it.</summary>
    public const string OwnerStarted = "io.multidc-vault.owner.started";

    /// <summary>
    /// "true" on what a kept environment (CLI up, keep set) made: it is meant to outlive its owner, so the automatic
    /// crash sweeps of up and the test runs leave it; down (and down --all once its owner is gone) removes it.
    /// </summary>
    public const string OwnerKept = "io.multidc-vault.owner.kept";

    /// <summary>
    /// On the shared network: the kind clusters the session put on it, comma-separated. A network label proves the
    /// network is ours, not every container on it (kind puts any cluster on a network that exists), so a leftover
    /// kind cluster found only through the network counts as ours only when this list names it.
    /// </summary>
    public const string Clusters = "io.multidc-vault.clusters";

    /// <summary>This process as the owner, read once: it does not change while the process lives.</summary>
    private static readonly Lazy<ResourceOwner> CurrentOwner = new(() => OwnerLiveness.System.Current());

    /// <summary>The labels of an object this process creates: session, role and this process as its owner.</summary>
    public static IReadOnlyDictionary<string, string> For(string sessionId, string role, bool kept = false) => For(sessionId, role, CurrentOwner.Value, kept);

    /// <summary>The labels of an object owned by <paramref name="owner"/>.</summary>
    public static IReadOnlyDictionary<string, string> For(string sessionId, string role, ResourceOwner owner, bool kept = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sessionId);
        ArgumentException.ThrowIfNullOrWhiteSpace(role);
        ArgumentNullException.ThrowIfNull(owner);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [Session] = sessionId,
            [Role] = role,
            [OwnerHost] = owner.Host,
            [OwnerPid] = owner.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [OwnerStarted] = owner.Started,
        };
        if (kept)
        {
            labels[OwnerKept] = "true";
        }

        return labels;
    }

    /// <summary>The labels of the shared network: <see cref="For(string, string, bool)"/> plus the clusters it will carry.</summary>
    public static IReadOnlyDictionary<string, string> ForNetwork(string sessionId, IReadOnlyList<string> clusters, bool kept) =>
        new Dictionary<string, string>(For(sessionId, "shared-network", kept), StringComparer.Ordinal) { [Clusters] = string.Join(",", clusters) };

    /// <summary>
    /// Whether a network's labels name <paramref name="cluster"/> as one of the session's; a network labelled before
    /// the list existed names none, and then the session label alone decides, as it did.
    /// </summary>
    public static bool NamesCluster(IReadOnlyDictionary<string, string>? networkLabels, string cluster) =>
        networkLabels is null || !networkLabels.TryGetValue(Clusters, out var list)
        || list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Contains(cluster, StringComparer.Ordinal);

    /// <summary>True for what a kept environment made (see <see cref="OwnerKept"/>).</summary>
    public static bool IsKept(IReadOnlyDictionary<string, string>? labels) =>
        labels is not null && labels.TryGetValue(OwnerKept, out var kept) && kept == "true";

    /// <summary>The owner the labels name; null when any owner label is missing or malformed.</summary>
    public static ResourceOwner? TryReadOwner(IReadOnlyDictionary<string, string>? labels) =>
        labels is not null
        && labels.TryGetValue(OwnerHost, out var host) && host.Length > 0
        && labels.TryGetValue(OwnerPid, out var pidText)
        && int.TryParse(pidText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid) && pid > 0
        && labels.TryGetValue(OwnerStarted, out var started) && started.Length > 0
            ? new ResourceOwner(host, pid, started)
            : null;

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
