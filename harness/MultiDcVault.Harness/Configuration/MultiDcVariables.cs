namespace MultiDcVault.Harness.Configuration;

/// <summary>
/// Every MULTIDC_* variable anything here reads: the settings table's, and the few read by the tests, CI and the
/// tool cache. A variable of that prefix outside this list is a typo the person would otherwise never notice.
/// </summary>
internal static class MultiDcVariables
{
    public const string Prefix = "MULTIDC_";

    /// <summary>
    /// Read outside the settings table: the E2E gate, the Docker tests, the tool cache, the README picture's
    /// regeneration, and the rolling-upgrade scenario's target image (<see cref="SupportedVaultVersions.UpgradeTargetVariable"/>;
    /// one scenario's input, not an environment setting, so not a <see cref="MultiDcOptions"/> property), and the existing
    /// central Vault's token (<see cref="ExistingClusters.CentralVaultTokenVariable"/>: a secret, so never a setting whose value
    /// messages, help or the plan could show).
    /// </summary>
    public static IReadOnlyList<string> Others { get; } =
    [
        "MULTIDC_REQUIRE_E2E",
        "MULTIDC_REQUIRE_DOCKER",
        "MULTIDC_TEST_IMAGE",
        "MULTIDC_TEST_VAULT_IMAGE",
        "MULTIDC_SHARED_DIR",
        "MULTIDC_TOOLS_DIR",
        "MULTIDC_METALLB_MIRROR",
        "MULTIDC_UPGRADE_TO_VAULT_IMAGE",
        "MULTIDC_UPDATE_DOCS",
        ExistingClusters.CentralVaultTokenVariable,
    ];

    public static IReadOnlyList<string> Known { get; } =
        [.. MultiDcSettings.All.Select(s => s.Variable).OfType<string>(), .. Others];

    /// <summary>One warning per MULTIDC_* name in <paramref name="names"/> that nothing reads, with the closest known name.</summary>
    public static IEnumerable<string> UnknownWarnings(IEnumerable<string> names) =>
        names
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && !Known.Contains(n, StringComparer.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n => Closest(n) is { } near
                ? $"{n} is not a multidc variable and is ignored; did you mean {near}?"
                : $"{n} is not a multidc variable and is ignored (see the README's Configuration table).");

    /// <summary>The known name within a few edits of <paramref name="name"/> (a dropped S, a swapped word), or null.</summary>
    private static string? Closest(string name)
    {
        var best = Known
            .Select(k => (Name: k, Distance: EditDistance(name, k)))
            .OrderBy(k => k.Distance)
            .ThenBy(k => k.Name, StringComparer.Ordinal)
            .First();
        return best.Distance <= Math.Max(2, name.Length / 4) ? best.Name : null;
    }

    private static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
