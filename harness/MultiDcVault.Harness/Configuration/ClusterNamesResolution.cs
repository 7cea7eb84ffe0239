using System.Globalization;

namespace MultiDcVault.Harness.Configuration;

/// <summary>
/// Two settings feed <see cref="MultiDcOptions.ClusterNames"/>: the count (MULTIDC_CLUSTERS) and the names
/// (MULTIDC_CLUSTER_NAMES). Within one layer the names win and a count given with them must match; a count alone
/// yields primary, secondary, tertiary, dc4, ... unless the environment's names already have that count; the
/// command line's values make the environment's count irrelevant.
/// </summary>
internal static class ClusterNamesResolution
{
    private static readonly string[] OrdinalNames = ["primary", "secondary", "tertiary"];

    /// <summary>The names to use (null: the default), with their origin recorded in <paramref name="origins"/>.</summary>
    public static IReadOnlyList<string>? Resolve(
        Func<MultiDcSetting, GivenSetting?> commandLine,
        Func<MultiDcSetting, GivenSetting?> environment,
        IDictionary<string, OptionOrigin> origins,
        ICollection<string> problems)
    {
        var names = (MultiDcSetting<IReadOnlyList<string>>)MultiDcSettings.ClusterNames;
        var envNames = environment(names);
        var cliNames = commandLine(names);
        var cliCount = commandLine(MultiDcSettings.Clusters);
        var resolver = new Resolver(origins, problems);
        if (cliNames is not null || cliCount is not null)
        {
            return resolver.Resolve(cliNames, cliCount, envNames);
        }

        return resolver.Resolve(envNames, environment(MultiDcSettings.Clusters), lowerNamesGiven: null);
    }

    /// <summary>primary, secondary, tertiary, then dc4, dc5, ...</summary>
    public static IReadOnlyList<string> DefaultNamesFor(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return [.. Enumerable.Range(0, count).Select(i => i < OrdinalNames.Length
            ? OrdinalNames[i]
            : "dc" + (i + 1).ToString(CultureInfo.InvariantCulture))];
    }

    private sealed class Resolver(IDictionary<string, OptionOrigin> origins, ICollection<string> problems)
    {
        private const string Property = nameof(MultiDcOptions.ClusterNames);

        public IReadOnlyList<string>? Resolve(GivenSetting? namesGiven, GivenSetting? countGiven, GivenSetting? lowerNamesGiven)
        {
            var names = namesGiven is null ? null : Names(namesGiven);
            int? count = null;
            if (countGiven is not null)
            {
                var (value, error) = ((MultiDcSetting<int>)MultiDcSettings.Clusters).Parse(countGiven.Text);
                if (error is not null)
                {
                    problems.Add($"{countGiven.Origin.Describe()} is not valid: {error}");
                }
                else
                {
                    count = value;
                }
            }

            if (names is not null)
            {
                origins[Property] = namesGiven!.Origin;
                if (count is not null && count != names.Count)
                {
                    problems.Add(
                        $"{countGiven!.Origin.Describe()} conflicts with {namesGiven.Origin.Describe()} ({names.Count} names): " +
                        "give only the names, or make the count match");
                }

                return names;
            }

            if (count is null)
            {
                return null;
            }

            var lowerNames = lowerNamesGiven is null ? null : Names(lowerNamesGiven);
            if (lowerNames is not null && lowerNames.Count == count)
            {
                origins[Property] = lowerNamesGiven!.Origin;
                return lowerNames;
            }

            if (count is < 0 or > MultiDcOptionsValidator.MaxClusters)
            {
                problems.Add(
                    $"{countGiven!.Origin.Describe()} is not valid: use an odd number of clusters from 3 to {MultiDcOptionsValidator.MaxClusters}");
                return null;
            }

            // An even or too small count still becomes names, so the validator reports it once, against this origin.
            origins[Property] = countGiven!.Origin;
            return DefaultNamesFor(count.Value);
        }

        private static IReadOnlyList<string> Names(GivenSetting given) =>
            ((MultiDcSetting<IReadOnlyList<string>>)MultiDcSettings.ClusterNames).Parse(given.Text).Value;
    }
}
