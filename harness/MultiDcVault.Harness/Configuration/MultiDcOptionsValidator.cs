using System.Globalization;
using MultiDcVault.Harness.Planning;
using MultiDcVault.Harness.Provisioning;

namespace MultiDcVault.Harness.Configuration;

/// <summary>
/// Checks a <see cref="MultiDcOptions"/> and reports every problem at once. Messages name the
/// setting as the person gave it (variable, CLI option or property), see <see cref="OptionOrigin"/>.
/// </summary>
public static class MultiDcOptionsValidator
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
        var check = new Checker(origins ?? new Dictionary<string, OptionOrigin>());
        check.ClusterNames(options.ClusterNames);
        check.Label(nameof(options.Session), options.Session, MaxSessionLength);
        check.Label(nameof(options.Namespace), options.Namespace, DnsLabel.KubernetesMaxLength);
        check.NetworkName(options.NetworkName);
        check.Subnet(options.NetworkSubnet);
        check.Image(nameof(options.KindNodeImage), options.KindNodeImage);
        check.Token(nameof(options.MetalLbVersion), options.MetalLbVersion, "a version");
        if (!string.IsNullOrWhiteSpace(options.MetalLbVersion) && PinnedManifests.MetalLbNative(options.MetalLbVersion) is null)
        {
            check.Add(nameof(options.MetalLbVersion), options.MetalLbVersion,
                $"no SHA-256 of its native manifest is pinned; use one of {string.Join(", ", PinnedManifests.MetalLbVersions)}");
        }
        check.Token(nameof(options.OperatorChart), options.OperatorChart, "a chart reference");
        check.Token(nameof(options.OperatorChartVersion), options.OperatorChartVersion, "a version");
        check.LoadedImage(nameof(options.OperatorImage), options.OperatorImage);
        check.LoadedImage(nameof(options.BankVaultsImage), options.BankVaultsImage);
        check.LoadedImage(nameof(options.VaultImage), options.VaultImage);
        if (options.CentralVaultImage is not null)
        {
            check.Image(nameof(options.CentralVaultImage), options.CentralVaultImage);
        }

        check.Range(nameof(options.PoolSize), options.PoolSize, MinPoolSize, MaxPoolSize,
            "addresses per cluster and IP family");
        check.Range(nameof(options.RaftPerformanceMultiplier), options.RaftPerformanceMultiplier,
            MinRaftPerformanceMultiplier, MaxRaftPerformanceMultiplier, "(Vault's default is 5)");
        if (!Enum.IsDefined(options.UnsealMode))
        {
            check.Add(nameof(options.UnsealMode), options.UnsealMode.ToString(), "use transit or kv");
        }

        if (string.IsNullOrWhiteSpace(options.WorkDirectory))
        {
            check.Add(nameof(options.WorkDirectory), options.WorkDirectory, "give a directory path");
        }

        if (options.UpTimeout <= TimeSpan.Zero || options.UpTimeout > TimeSpan.FromMinutes(MaxUpTimeoutMinutes))
        {
            check.Add(nameof(options.UpTimeout), options.UpTimeout.ToString("c", CultureInfo.InvariantCulture),
                $"use 1..{MaxUpTimeoutMinutes} minutes");
        }

        return check.Problems;
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

    private sealed class Checker(IReadOnlyDictionary<string, OptionOrigin> origins)
    {
        public List<string> Problems { get; } = [];

        public void Add(string property, string renderedValue, string why)
        {
            var origin = origins.TryGetValue(property, out var known)
                ? known
                : new OptionOrigin(ValueSource.Code, property, renderedValue);
            Problems.Add($"{origin.Describe()} is not valid: {why}");
        }

        public void ClusterNames(IReadOnlyList<string> names)
        {
            var property = nameof(MultiDcOptions.ClusterNames);
            var rendered = string.Join(',', names);
            if (names.Count < 3 || names.Count % 2 == 0 || names.Count > MaxClusters)
            {
                Add(property, rendered,
                    $"use an odd number of clusters from 3 to {MaxClusters} (got {names.Count}) so Raft keeps a majority when one datacenter is lost");
            }

            foreach (var duplicate in names.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1))
            {
                Add(property, rendered, $"cluster name '{duplicate.Key}' appears {duplicate.Count()} times; names must be unique");
            }

            foreach (var name in names.Distinct(StringComparer.Ordinal))
            {
                if (DnsLabel.Problem(name) is { } why)
                {
                    Add(property, rendered, $"cluster name '{name}' is not a DNS-1123 label: {why}");
                }
                else if (name.Length > MaxClusterNameLength)
                {
                    Add(property, rendered,
                        $"cluster name '{name}' has {name.Length} characters; the maximum is {MaxClusterNameLength} so that " +
                        "'<name>-control-plane' (kind's node) and 'vault-<name>-...' (the operator's objects) stay within 63");
                }
            }
        }

        public void Label(string property, string value, int maxLength)
        {
            if (DnsLabel.Problem(value) is { } why)
            {
                Add(property, value, $"it must be a DNS-1123 label: {why}");
            }
            else if (value.Length > maxLength)
            {
                Add(property, value, $"it has {value.Length} characters; the maximum is {maxLength}");
            }
        }

        public void NetworkName(string value)
        {
            // Docker's own rule for names: [a-zA-Z0-9][a-zA-Z0-9_.-]*
            var valid = value.Length > 0
                && char.IsAsciiLetterOrDigit(value[0])
                && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');
            if (!valid)
            {
                Add(nameof(MultiDcOptions.NetworkName), value,
                    "a Docker network name starts with a letter or digit and uses only letters, digits, '_', '.' and '-'");
            }
        }

        public void Subnet(string? value)
        {
            if (value is not null && !IpNetwork.TryParse(value, out _, out var error))
            {
                Add(nameof(MultiDcOptions.NetworkSubnet), value, error);
            }
        }

        /// <summary>A reference without spaces that is pinned: never :latest, never untagged (see ImageReference).</summary>
        public void Image(string property, string value)
        {
            if (string.IsNullOrWhiteSpace(value) || value.Any(char.IsWhiteSpace))
            {
                Add(property, value, "give an image reference without spaces");
            }
            else if (ImageReference.UnpinnedReason(value) is { } why)
            {
                Add(property, value, why);
            }
        }

        /// <summary>
        /// An image that is `kind load`ed into the nodes: pinned, and by tag, not digest. A loaded archive records no
        /// repo digest, so a digest reference would not match it and the node would pull after all (kubernetes-sigs/kind#2734).
        /// </summary>
        public void LoadedImage(string property, string value)
        {
            Image(property, value);
            if (value.Contains('@', StringComparison.Ordinal))
            {
                Add(property, value, "give a tag, not a digest: the image is loaded into the kind nodes, where a digest reference does not match it (kubernetes-sigs/kind#2734)");
            }
        }

        public void Token(string property, string value, string what)
        {
            if (string.IsNullOrWhiteSpace(value) || value.Any(char.IsWhiteSpace))
            {
                Add(property, value, $"give {what} without spaces");
            }
        }

        public void Range(string property, int value, int min, int max, string unit)
        {
            if (value < min || value > max)
            {
                Add(property, value.ToString(CultureInfo.InvariantCulture), $"use {min}..{max} {unit}");
            }
        }
    }
}
