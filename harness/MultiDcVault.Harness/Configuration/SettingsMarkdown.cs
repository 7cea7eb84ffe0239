namespace MultiDcVault.Harness.Configuration;

/// <summary>The README's configuration table, generated from <see cref="MultiDcSettings"/> (a test keeps the README equal to it).</summary>
internal static class SettingsMarkdown
{
    public const string Header = "| variable | CLI option | what it does | default | commands |";

    /// <summary>One row per MULTIDC_* variable, in table order, with the header and separator.</summary>
    public static string Table()
    {
        var lines = new List<string> { Header, "| --- | --- | --- | --- | --- |" };
        foreach (var setting in MultiDcSettings.Variables)
        {
            var option = setting.CliOption is null ? "—" : string.Join(", ", new[] { setting.CliOption }.Concat(setting.CliAliases).Select(Code));
            var commands = setting.CliOption is null || setting.Commands.Count == 0 ? "—" : string.Join(", ", setting.Commands.Select(Code));
            lines.Add($"| {Code(setting.Variable!)} | {option} | {setting.Description} | {Code(setting.Default)} | {commands} |");
        }

        return string.Join('\n', lines);
    }

    private static string Code(string text) => $"`{text}`";
}
