namespace MultiDcVault.Harness.Configuration;

/// <summary>Bound options plus where each value came from (for "plan"/"status" output and error messages).</summary>
internal sealed record BoundMultiDcOptions(MultiDcOptions Options, IReadOnlyDictionary<string, OptionOrigin> Origins);

/// <summary>A CLI option a person gave: the name they typed (an alias counts) and its text.</summary>
internal sealed record CommandLineValue(string Option, string Text);

/// <summary>
/// Builds <see cref="MultiDcOptions"/> from the settings in <see cref="MultiDcSettings"/>: a command-line value
/// (or code override) wins over the MULTIDC_* variable, which wins over the default.
/// </summary>
/// <remarks>
/// A variable set to an empty or blank value counts as unset; a variable's value is trimmed. Cluster names and
/// count combine as <see cref="ClusterNamesResolution"/> says. Parse errors and validation problems are collected
/// and thrown together as one <see cref="OptionsValidationException"/>.
/// </remarks>
internal static class MultiDcOptionsBinder
{
    public static MultiDcOptions Bind(IReadOnlyDictionary<string, string?> environment, MultiDcOptionsOverrides? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return BindWithOrigins(name => environment.TryGetValue(name, out var value) ? value : null, overrides).Options;
    }

    public static MultiDcOptions Bind(Func<string, string?> readVariable, MultiDcOptionsOverrides? overrides = null) =>
        BindWithOrigins(readVariable, overrides).Options;

    public static MultiDcOptions BindFromProcessEnvironment(MultiDcOptionsOverrides? overrides = null) =>
        Bind(System.Environment.GetEnvironmentVariable, overrides);

    /// <summary>Overrides set in code; each is named by its CLI option in messages (a code-only setting by its property).</summary>
    public static BoundMultiDcOptions BindWithOrigins(Func<string, string?> readVariable, MultiDcOptionsOverrides? overrides = null)
    {
        var o = overrides ?? new MultiDcOptionsOverrides();
        return BindWithOrigins(readVariable, setting => setting.OverrideText(o) is { } text
            ? new GivenSetting(
                setting.CliOption is null
                    ? new OptionOrigin(ValueSource.Code, setting.Property, text)
                    : new OptionOrigin(ValueSource.CommandLine, setting.CliOption, text),
                text)
            : null);
    }

    /// <summary>
    /// The CLI's values as typed, keyed by setting; settings not in it fall back to the environment. With
    /// <paramref name="command"/>, a variable for a setting that command does not take is not read at all, so a value
    /// only <c>up</c> could use (an IPv6 MULTIDC_NETWORK_SUBNET) can never stop <c>down</c> from cleaning up.
    /// </summary>
    public static BoundMultiDcOptions BindWithOrigins(
        Func<string, string?> readVariable, IReadOnlyDictionary<MultiDcSetting, CommandLineValue> commandLine, string? command = null)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        ArgumentNullException.ThrowIfNull(readVariable);
        Func<string, string?> scoped = command is null
            ? readVariable
            : name => MultiDcSettings.All.FirstOrDefault(s => s.Variable == name) is { } setting
                && setting != MultiDcSettings.Clusters && setting != MultiDcSettings.ClusterNames
                && setting.CliOption is not null && !setting.Commands.Contains(command, StringComparer.Ordinal)
                ? null
                : readVariable(name);
        return BindWithOrigins(scoped, setting => commandLine.TryGetValue(setting, out var given)
            ? new GivenSetting(new OptionOrigin(ValueSource.CommandLine, given.Option, given.Text), given.Text)
            : null, command);
    }

    /// <summary>primary, secondary, tertiary, then dc4, dc5, ...</summary>
    public static IReadOnlyList<string> DefaultNamesFor(int count) => ClusterNamesResolution.DefaultNamesFor(count);

    private static BoundMultiDcOptions BindWithOrigins(Func<string, string?> readVariable, Func<MultiDcSetting, GivenSetting?> commandLine, string? command = null)
    {
        ArgumentNullException.ThrowIfNull(readVariable);
        GivenSetting? Environment(MultiDcSetting setting)
        {
            var raw = setting.Variable is null ? null : readVariable(setting.Variable);
            return string.IsNullOrWhiteSpace(raw)
                ? null
                : new GivenSetting(new OptionOrigin(ValueSource.Environment, setting.Variable!, raw), raw.Trim());
        }

        var origins = new Dictionary<string, OptionOrigin>();
        var problems = new List<string>();
        var options = new MultiDcOptions();
        foreach (var setting in MultiDcSettings.All.Where(s => s != MultiDcSettings.Clusters && s != MultiDcSettings.ClusterNames))
        {
            if ((commandLine(setting) ?? Environment(setting)) is not { } given)
            {
                continue;
            }

            if (setting.TryParse(given.Text, out var apply) is { } error)
            {
                problems.Add($"{given.Origin.Describe()} is not valid: {error}");
                continue;
            }

            origins[setting.Property] = given.Origin;
            options = apply(options);
        }

        if (ClusterNamesResolution.Resolve(commandLine, Environment, origins, problems) is { } names)
        {
            options = options with { ClusterNames = names };
        }

        if (!origins.ContainsKey(nameof(MultiDcOptions.WorkDirectory)))
        {
            options = options with { WorkDirectory = MultiDcOptions.DefaultWorkDirectory(options.Session) };
        }

        options = ExistingClusters.Apply(options, origins, problems, command);
        problems.AddRange(MultiDcOptionsValidator.Validate(options, origins));
        return problems.Count > 0 ? throw new OptionsValidationException(problems) : new BoundMultiDcOptions(options, origins);
    }
}
