namespace MultiDcVault.Harness.Configuration;

/// <summary>
/// Checks a <see cref="MultiDcOptions"/> against each setting's rule in <see cref="MultiDcSettings"/> and reports
/// every problem at once. Messages name the setting as the person gave it (variable, CLI option or property), see
/// <see cref="OptionOrigin"/>.
/// </summary>
internal static class MultiDcOptionsValidator
{
    /// <summary>
    /// Longest cluster name. kind names the node container (and its hostname) "&lt;name&gt;-control-plane"
    /// (+14) and the operator derives "vault-&lt;name&gt;-configurer" and the StatefulSet's
    /// "vault-&lt;name&gt;-&lt;10-char revision hash&gt;" label (+17); 40 keeps all of them within
    /// Kubernetes' 63-character limit with room to spare.
    /// </summary>
    public const int MaxClusterNameLength = 40;

    /// <summary>Longest session name: it is a label value and a prefix of container names other areas add suffixes to.</summary>
    public const int MaxSessionLength = 40;

    /// <summary>A sanity bound: each cluster is a full kind node; Raft itself is happiest at 3, 5 or 7.</summary>
    public const int MaxClusters = 99;

    public const int MinPoolSize = 1;
    public const int MaxPoolSize = 1024;
    public const int MinRaftPerformanceMultiplier = 1;
    public const int MaxRaftPerformanceMultiplier = 10;
    public const int MaxUpTimeoutMinutes = 24 * 60;

    /// <summary>Every problem, empty when the options are usable.</summary>
    /// <param name="options">The options to check.</param>
    /// <param name="origins">Where each property's value came from, keyed by property name; missing entries are treated as set in code.</param>
    public static IReadOnlyList<string> Validate(MultiDcOptions options, IReadOnlyDictionary<string, OptionOrigin>? origins = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        foreach (var setting in MultiDcSettings.All)
        {
            var (whys, rendered) = setting.Check(options);
            foreach (var why in whys)
            {
                var origin = origins is not null && origins.TryGetValue(setting.Property, out var known)
                    ? known
                    : new OptionOrigin(ValueSource.Code, setting.Property, rendered);
                problems.Add($"{origin.Describe()} is not valid: {why}");
            }
        }

        return problems;
    }

    /// <summary>Throws <see cref="OptionsValidationException"/> listing every problem.</summary>
    public static void ThrowIfInvalid(MultiDcOptions options, IReadOnlyDictionary<string, OptionOrigin>? origins = null)
    {
        var problems = Validate(options, origins);
        if (problems.Count > 0)
        {
            throw new OptionsValidationException(problems);
        }
    }
}
