using System.Globalization;

namespace MultiDcVault.Harness.Configuration;

/// <summary>Bound options plus where each value came from (for "plan"/"status" output and error messages).</summary>
public sealed record BoundMultiDcOptions(MultiDcOptions Options, IReadOnlyDictionary<string, OptionOrigin> Origins);

/// <summary>
/// Builds <see cref="MultiDcOptions"/> from MULTIDC_* variables (see <see cref="MultiDcVariables"/>),
/// then explicit overrides, then defaults: an override wins over the environment.
/// </summary>
/// <remarks>
/// A variable set to an empty or blank value counts as unset. Cluster names: within one layer,
/// names win and a count given with them must match; a count alone yields primary, secondary,
/// tertiary, dc4, ... unless the environment's names already have that count.
/// Parse errors and validation problems are collected and thrown together as one
/// <see cref="OptionsValidationException"/>.
/// </remarks>
public static class MultiDcOptionsBinder
{
    private static readonly string[] OrdinalNames = ["primary", "secondary", "tertiary"];

    public static MultiDcOptions Bind(IReadOnlyDictionary<string, string?> environment, MultiDcOptionsOverrides? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return BindWithOrigins(name => environment.TryGetValue(name, out var value) ? value : null, overrides).Options;
    }

    public static MultiDcOptions Bind(Func<string, string?> readVariable, MultiDcOptionsOverrides? overrides = null) =>
        BindWithOrigins(readVariable, overrides).Options;

    public static MultiDcOptions BindFromProcessEnvironment(MultiDcOptionsOverrides? overrides = null) =>
        Bind(System.Environment.GetEnvironmentVariable, overrides);

    public static BoundMultiDcOptions BindWithOrigins(Func<string, string?> readVariable, MultiDcOptionsOverrides? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(readVariable);
        var layers = new Layers(readVariable, overrides ?? new MultiDcOptionsOverrides());
        var o = layers.Overrides;
        var defaults = new MultiDcOptions();

        var session = layers.Text(MultiDcVariables.Session, o.Session) ?? defaults.Session;
        var operatorImage = layers.Text(MultiDcVariables.OperatorImage, o.OperatorImage);
        var upTimeoutMinutes = layers.Int(MultiDcVariables.UpTimeoutMinutes, o.UpTimeoutMinutes);
        var options = defaults with
        {
            ClusterNames = layers.ClusterNames(o) ?? defaults.ClusterNames,
            Session = session,
            NetworkName = layers.Text(MultiDcVariables.Network, o.NetworkName) ?? defaults.NetworkName,
            NetworkSubnet = layers.Text(MultiDcVariables.NetworkSubnet, o.NetworkSubnet) ?? defaults.NetworkSubnet,
            KindNodeImage = layers.Text(MultiDcVariables.KindNodeImage, o.KindNodeImage) ?? defaults.KindNodeImage,
            MetalLbVersion = layers.Text(MultiDcVariables.MetalLbVersion, o.MetalLbVersion) ?? defaults.MetalLbVersion,
            OperatorChartVersion = layers.Text(MultiDcVariables.OperatorChartVersion, o.OperatorChartVersion) ?? defaults.OperatorChartVersion,
            OperatorImage = operatorImage ?? defaults.OperatorImage,
            LoadOperatorImage = operatorImage is not null,
            BankVaultsImage = layers.Text(MultiDcVariables.BankVaultsImage, o.BankVaultsImage) ?? defaults.BankVaultsImage,
            VaultImage = layers.Text(MultiDcVariables.VaultImage, o.VaultImage) ?? defaults.VaultImage,
            CentralVaultImage = layers.Text(MultiDcVariables.CentralVaultImage, o.CentralVaultImage) ?? defaults.CentralVaultImage,
            UnsealMode = layers.UnsealMode(o.UnsealMode) ?? defaults.UnsealMode,
            PoolSize = layers.Int(MultiDcVariables.PoolSize, o.PoolSize) ?? defaults.PoolSize,
            RaftPerformanceMultiplier = layers.Int(MultiDcVariables.RaftPerformanceMultiplier, o.RaftPerformanceMultiplier)
                ?? defaults.RaftPerformanceMultiplier,
            Namespace = layers.Text(MultiDcVariables.Namespace, o.Namespace) ?? defaults.Namespace,
            WorkDirectory = layers.Text(MultiDcVariables.WorkDirectory, o.WorkDirectory)
                ?? MultiDcOptions.DefaultWorkDirectory(session),
            Keep = layers.Bool(MultiDcVariables.Keep, o.Keep) ?? defaults.Keep,
            Reuse = layers.Bool(MultiDcVariables.Reuse, o.Reuse) ?? defaults.Reuse,
            UpTimeout = upTimeoutMinutes is { } minutes && minutes is > 0 and <= MultiDcOptionsValidator.MaxUpTimeoutMinutes
                ? TimeSpan.FromMinutes(minutes)
                : defaults.UpTimeout,
        };

        if (upTimeoutMinutes is { } m && m is <= 0 or > MultiDcOptionsValidator.MaxUpTimeoutMinutes)
        {
            layers.Problem(nameof(MultiDcOptions.UpTimeout), $"use 1..{MultiDcOptionsValidator.MaxUpTimeoutMinutes} minutes");
        }

        var problems = layers.Problems.Concat(MultiDcOptionsValidator.Validate(options, layers.Origins)).ToList();
        if (problems.Count > 0)
        {
            throw new OptionsValidationException(problems);
        }

        return new BoundMultiDcOptions(options, layers.Origins);
    }

    /// <summary>primary, secondary, tertiary, then dc4, dc5, ...</summary>
    public static IReadOnlyList<string> DefaultNamesFor(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return [.. Enumerable.Range(0, count).Select(i => i < OrdinalNames.Length
            ? OrdinalNames[i]
            : "dc" + (i + 1).ToString(CultureInfo.InvariantCulture))];
    }

    /// <summary>Reads one setting from the override layer, else the environment, and records its origin.</summary>
    private sealed class Layers(Func<string, string?> readVariable, MultiDcOptionsOverrides overrides)
    {
        public MultiDcOptionsOverrides Overrides { get; } = overrides;

        public Dictionary<string, OptionOrigin> Origins { get; } = [];

        public List<string> Problems { get; } = [];

        public void Problem(string property, string why) => Problems.Add($"{Origins[property].Describe()} is not valid: {why}");

        public string? Text(MultiDcVariable variable, string? overrideValue)
        {
            if (overrideValue is not null)
            {
                Origins[variable.Property] = OptionOrigin.FromCommandLine(variable, overrideValue);
                return overrideValue;
            }

            var raw = Env(variable);
            if (raw is not null)
            {
                Origins[variable.Property] = OptionOrigin.FromEnvironment(variable, raw);
            }

            return raw?.Trim();
        }

        public int? Int(MultiDcVariable variable, int? overrideValue)
        {
            var (text, origin) = Raw(variable, overrideValue?.ToString(CultureInfo.InvariantCulture));
            if (text is null)
            {
                return null;
            }

            Origins[variable.Property] = origin!;
            if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            Problems.Add($"{origin!.Describe()} is not valid: expected a whole number (default {variable.Default})");
            return null;
        }

        public bool? Bool(MultiDcVariable variable, bool? overrideValue)
        {
            var (text, origin) = Raw(variable, overrideValue is null ? null : overrideValue.Value ? "true" : "false");
            if (text is null)
            {
                return null;
            }

            Origins[variable.Property] = origin!;
            switch (text.ToUpperInvariant())
            {
                case "1" or "TRUE" or "YES":
                    return true;
                case "0" or "FALSE" or "NO":
                    return false;
                default:
                    Problems.Add($"{origin!.Describe()} is not valid: use 1, true or yes to switch it on, 0, false or no to switch it off");
                    return null;
            }
        }

        public UnsealMode? UnsealMode(UnsealMode? overrideValue)
        {
            var variable = MultiDcVariables.UnsealMode;
            var (text, origin) = Raw(variable, overrideValue?.ToString().ToLowerInvariant());
            if (text is null)
            {
                return null;
            }

            Origins[variable.Property] = origin!;
            switch (text.ToUpperInvariant())
            {
                case "TRANSIT":
                    return Configuration.UnsealMode.Transit;
                case "KV":
                    return Configuration.UnsealMode.Kv;
                default:
                    Problems.Add($"{origin!.Describe()} is not valid: use transit or kv");
                    return null;
            }
        }

        public IReadOnlyList<string>? ClusterNames(MultiDcOptionsOverrides o)
        {
            var property = nameof(MultiDcOptions.ClusterNames);
            var envNamesText = Env(MultiDcVariables.ClusterNames);
            var envNames = envNamesText is null ? null : SplitNames(envNamesText);
            var envNamesOrigin = envNamesText is null ? null : OptionOrigin.FromEnvironment(MultiDcVariables.ClusterNames, envNamesText);

            if (o.ClusterNames is not null || o.ClusterCount is not null)
            {
                var namesOrigin = o.ClusterNames is null
                    ? null
                    : OptionOrigin.FromCommandLine(MultiDcVariables.ClusterNames, string.Join(',', o.ClusterNames));
                var countOrigin = o.ClusterCount is null
                    ? null
                    : OptionOrigin.FromCommandLine(MultiDcVariables.Clusters, o.ClusterCount.Value.ToString(CultureInfo.InvariantCulture));
                return Resolve(property, o.ClusterNames, namesOrigin, o.ClusterCount, countOrigin, envNames, envNamesOrigin);
            }

            var envCountText = Env(MultiDcVariables.Clusters);
            int? envCount = null;
            OptionOrigin? envCountOrigin = null;
            if (envCountText is not null)
            {
                envCountOrigin = OptionOrigin.FromEnvironment(MultiDcVariables.Clusters, envCountText);
                if (int.TryParse(envCountText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var count))
                {
                    envCount = count;
                }
                else
                {
                    Problems.Add($"{envCountOrigin.Describe()} is not valid: expected a whole number such as 3 or 5");
                }
            }

            return envNames is null && envCount is null
                ? null
                : Resolve(property, envNames, envNamesOrigin, envCount, envCountOrigin, lowerNames: null, lowerNamesOrigin: null);
        }

        private IReadOnlyList<string>? Resolve(
            string property,
            IReadOnlyList<string>? names,
            OptionOrigin? namesOrigin,
            int? count,
            OptionOrigin? countOrigin,
            IReadOnlyList<string>? lowerNames,
            OptionOrigin? lowerNamesOrigin)
        {
            if (names is not null)
            {
                Origins[property] = namesOrigin!;
                if (count is not null && count != names.Count)
                {
                    Problems.Add(
                        $"{countOrigin!.Describe()} conflicts with {namesOrigin!.Describe()} ({names.Count} names): " +
                        "give only the names, or make the count match");
                }

                return [.. names];
            }

            if (lowerNames is not null && lowerNames.Count == count)
            {
                Origins[property] = lowerNamesOrigin!;
                return lowerNames;
            }

            Origins[property] = countOrigin!;
            if (count is < 0 or > MultiDcOptionsValidator.MaxClusters)
            {
                Problems.Add(
                    $"{countOrigin!.Describe()} is not valid: use an odd number of clusters from 3 to {MultiDcOptionsValidator.MaxClusters}");
                Origins.Remove(property);
                return null;
            }

            // An even or too small count still becomes names, so the validator reports it once, against this origin.
            return DefaultNamesFor(count!.Value);
        }

        private (string? Text, OptionOrigin? Origin) Raw(MultiDcVariable variable, string? overrideText)
        {
            if (overrideText is not null)
            {
                return (overrideText, OptionOrigin.FromCommandLine(variable, overrideText));
            }

            var raw = Env(variable);
            return raw is null ? (null, null) : (raw.Trim(), OptionOrigin.FromEnvironment(variable, raw));
        }

        private string? Env(MultiDcVariable variable)
        {
            var raw = readVariable(variable.Name);
            return string.IsNullOrWhiteSpace(raw) ? null : raw;
        }

        private static List<string> SplitNames(string text) =>
            [.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
    }
}
