using System.CommandLine;
using MultiDcVault.Harness.Configuration;

namespace MultiDcVault.Cli.Commands;

/// <summary>
/// The CLI options of one command, made from the rows of <see cref="MultiDcSettings"/> that command takes; each
/// names its MULTIDC_* variable in the help and, when given, wins over it. Values go to the binder as typed, so
/// parsing and validation happen once, there.
/// </summary>
internal sealed class SettingOptions
{
    private readonly List<(MultiDcSetting Setting, Option Option)> _options;
    private readonly string _command;

    public SettingOptions(string command)
    {
        _command = command;
        _options = [.. MultiDcSettings.For(command).Select(setting => (setting, Create(setting)))];
    }

    public void AddTo(Command command)
    {
        foreach (var (_, option) in _options)
        {
            command.Options.Add(option);
        }
    }

    /// <exception cref="OptionsValidationException">An option or variable is not valid.</exception>
    public MultiDcOptions Bind(ParseResult parse, CliConsole console)
    {
        var given = new Dictionary<MultiDcSetting, CommandLineValue>();
        foreach (var (setting, option) in _options)
        {
            // System.CommandLine gives a bool option that was not given an implicit result (false):
            // only a result with a token the person typed may override the variable.
            if (parse.GetResult(option) is not { Implicit: false } result)
            {
                continue;
            }

            var text = option is Option<bool> flag
                ? (parse.GetValue(flag) ? "true" : "false")
                : parse.GetValue((Option<string>)option) ?? string.Empty;
            given[setting] = new CommandLineValue(result.IdentifierToken?.Value ?? option.Name, text);
        }

        foreach (var warning in MultiDcVariables.UnknownWarnings(console.VariableNames()))
        {
            console.Error.WriteLine("warning: " + warning);
        }

        return MultiDcOptionsBinder.BindWithOrigins(console.ReadVariable, given, _command).Options;
    }

    private static Option Create(MultiDcSetting setting)
    {
        var description = $"{setting.Description} ({setting.Variable}; default {setting.Default})";
        var aliases = setting.CliAliases.ToArray();
        return setting.IsSwitch
            ? new Option<bool>(setting.CliOption!, aliases) { Description = description }
            : new Option<string>(setting.CliOption!, aliases) { Description = description };
    }
}
