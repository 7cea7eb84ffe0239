namespace MultiDcVault.Harness.Configuration;

/// <summary>
/// One row of <see cref="MultiDcSettings"/>: a setting a person can change, with everything that is said or
/// done about it in one place: its <see cref="MultiDcOptions"/> property, MULTIDC_* variable, CLI option
/// and aliases, help text, default, the commands that take it, how its text is parsed and how its value is checked.
/// </summary>
internal abstract class MultiDcSetting
{
    private protected MultiDcSetting(
        string property, string? variable, string? cliOption, IReadOnlyList<string> aliases,
        string description, IReadOnlyList<string> commands, bool isSwitch)
    {
        Property = property;
        Variable = variable;
        CliOption = cliOption;
        CliAliases = aliases;
        Description = description;
        // Listed once each, in the CLI's order, however the table combined its groups.
        Commands = [.. SettingCommands.All.Where(c => commands.Contains(c, StringComparer.Ordinal))];
        IsSwitch = isSwitch;
    }

    /// <summary>The <see cref="MultiDcOptions"/> property the setting feeds.</summary>
    public string Property { get; }

    /// <summary>The MULTIDC_* variable; null for a property that is set in code only.</summary>
    public string? Variable { get; }

    /// <summary>The variable, or the property for a code-only setting: how a message names it when nobody gave it.</summary>
    public string Name => Variable ?? Property;

    /// <summary>The CLI option (null: no command takes it).</summary>
    public string? CliOption { get; }

    public IReadOnlyList<string> CliAliases { get; }

    public string Description { get; }

    /// <summary>The default as help and the README show it.</summary>
    public abstract string Default { get; }

    /// <summary>The <c>multidc</c> commands that take the option (see <see cref="SettingCommands"/>).</summary>
    public IReadOnlyList<string> Commands { get; }

    /// <summary>An on/off value: a CLI flag (<c>--reuse</c>), a 1/true/yes or 0/false/no variable.</summary>
    public bool IsSwitch { get; }

    public bool IsTakenBy(string command) => CliOption is not null && Commands.Contains(command, StringComparer.Ordinal);

    /// <summary>The override's value as text (null: not overridden), parsed like any other text.</summary>
    internal abstract string? OverrideText(MultiDcOptionsOverrides overrides);

    /// <summary>Parses <paramref name="text"/>; on success returns null and <paramref name="apply"/> sets the value.</summary>
    internal abstract string? TryParse(string text, out Func<MultiDcOptions, MultiDcOptions> apply);

    /// <summary>Why the value in <paramref name="options"/> is not usable (empty when it is), and how to show the value.</summary>
    internal abstract (IReadOnlyList<string> Problems, string Rendered) Check(MultiDcOptions options);
}

/// <summary>A setting whose value has type <typeparamref name="T"/>.</summary>
internal sealed class MultiDcSetting<T> : MultiDcSetting
{
    private readonly Func<string, (T Value, string? Error)> _parse;
    private readonly Func<MultiDcOptions, T> _get;
    private readonly Func<MultiDcOptions, T, MultiDcOptions> _set;
    private readonly Func<T, IEnumerable<string>> _check;
    private readonly Func<T, string> _render;
    private readonly Func<MultiDcOptionsOverrides, string?> _override;
    private readonly string? _default;

    public MultiDcSetting(
        string property,
        string? variable,
        string? cliOption,
        string description,
        IReadOnlyList<string> commands,
        Func<string, (T Value, string? Error)> parse,
        Func<MultiDcOptions, T> get,
        Func<MultiDcOptions, T, MultiDcOptions> set,
        Func<MultiDcOptionsOverrides, string?> overrideText,
        Func<T, IEnumerable<string>>? check = null,
        Func<T, string>? render = null,
        string? defaultText = null,
        IReadOnlyList<string>? aliases = null,
        bool isSwitch = false)
        : base(property, variable, cliOption, aliases ?? [], description, commands, isSwitch)
    {
        _parse = parse;
        _get = get;
        _set = set;
        _override = overrideText;
        _check = check ?? (_ => []);
        _render = render ?? (value => value?.ToString() ?? string.Empty);
        _default = defaultText;
    }

    public override string Default => _default ?? _render(_get(new MultiDcOptions()));

    internal T Read(MultiDcOptions options) => _get(options);

    /// <summary>Parses without applying (the cluster count and names are combined by <see cref="ClusterNamesResolution"/>).</summary>
    internal (T Value, string? Error) Parse(string text) => _parse(text);

    internal override string? OverrideText(MultiDcOptionsOverrides overrides) => _override(overrides);

    internal override string? TryParse(string text, out Func<MultiDcOptions, MultiDcOptions> apply)
    {
        var (value, error) = _parse(text);
        apply = error is null ? options => _set(options, value) : options => options;
        return error;
    }

    internal override (IReadOnlyList<string> Problems, string Rendered) Check(MultiDcOptions options)
    {
        var value = _get(options);
        return ([.. _check(value)], _render(value));
    }
}
