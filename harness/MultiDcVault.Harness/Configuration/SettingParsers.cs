using System.Globalization;

namespace MultiDcVault.Harness.Configuration;

/// <summary>How a setting's text becomes a value; each error is the clause after "is not valid: ".</summary>
internal static class SettingParsers
{
    public static (string Value, string? Error) Text(string text) => (text, null);

    public static (string? Value, string? Error) OptionalText(string text) => (text, null);

    public static Func<string, (int Value, string? Error)> WholeNumber(string defaultText) => text =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? (value, null)
            : (0, $"expected a whole number (default {defaultText})");

    public static (bool Value, string? Error) Switch(string text) => text.ToUpperInvariant() switch
    {
        "1" or "TRUE" or "YES" => (true, null),
        "0" or "FALSE" or "NO" => (false, null),
        _ => (false, "use 1, true or yes to switch it on, 0, false or no to switch it off"),
    };

    public static (UnsealMode Value, string? Error) UnsealMode(string text) => text.ToUpperInvariant() switch
    {
        "TRANSIT" => (Configuration.UnsealMode.Transit, null),
        "KV" => (Configuration.UnsealMode.Kv, null),
        _ => (default, "use transit or kv"),
    };

    public static (ClusterProvider Value, string? Error) Provider(string text) => text.ToUpperInvariant() switch
    {
        "KIND" => (ClusterProvider.Kind, null),
        "EXISTING" => (ClusterProvider.Existing, null),
        _ => (default, "use kind or existing"),
    };

    /// <summary>Comma-separated, trimmed; empty entries (a trailing comma) are dropped.</summary>
    public static (IReadOnlyList<string> Value, string? Error) Names(string text) =>
        ([.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)], null);

    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
