using System.Text.Json.Serialization;
using System.Text.Json;
using MultiDcVault.Harness.Infrastructure.Processes;

namespace MultiDcVault.Cli.Output;

/// <summary>One JSON style for every --output json: camelCase, indented, nulls kept so scripts see every field.</summary>
internal static class CliJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,

        // Read by people and jq, never embedded in HTML: keep `, ', <, > as themselves, not \u0060.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);
}

internal static class OutputFormat
{
    public const string Table = "table";
    public const string Json = "json";

    public static System.CommandLine.Option<string> CreateOption()
    {
        var option = new System.CommandLine.Option<string>("--output", "-o")
        {
            Description = "table (default) or json (for scripts)",
            DefaultValueFactory = _ => Table,
        };
        option.AcceptOnlyFromAmong(Table, Json);
        return option;
    }
}
