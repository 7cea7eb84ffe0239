using System.Text.Json.Serialization;
using System.Text.Json;

namespace MultiDcVault.Harness.Infrastructure.Vault;

/// <summary>Vault speaks snake_case JSON; one shared, cached options instance.</summary>
internal static class VaultJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };
}

/// <summary>The envelope of logical responses: { request_id, data, auth, warnings, ... }.</summary>
internal sealed record VaultEnvelope<T>
{
    public T? Data { get; init; }
    public VaultAuth? Auth { get; init; }
    public IReadOnlyList<string>? Warnings { get; init; }
}

internal sealed record VaultAuth
{
    public string? ClientToken { get; init; }
    public string? Accessor { get; init; }
    public IReadOnlyList<string>? Policies { get; init; }
    public long LeaseDuration { get; init; }
    public bool Renewable { get; init; }
    public bool Orphan { get; init; }
}

internal sealed record VaultErrorBody
{
    public IReadOnlyList<string>? Errors { get; init; }
}

internal sealed record RaftConfigurationData
{
    public RaftConfigBody? Config { get; init; }
}

internal sealed record RaftConfigBody
{
    public IReadOnlyList<RaftServer>? Servers { get; init; }
    public ulong Index { get; init; }
}

internal sealed record KvReadData
{
    public Dictionary<string, JsonElement>? Data { get; init; }
    public KvVersionMetadata? Metadata { get; init; }
}

internal sealed record VaultInitResponse
{
    public IReadOnlyList<string>? KeysBase64 { get; init; }
    public IReadOnlyList<string>? RecoveryKeysBase64 { get; init; }
    public string? RootToken { get; init; }
}

/// <summary>Reads a JSON string or number as text (raft protocol_version has been sent both ways).</summary>
internal sealed class StringOrNumberConverter : JsonConverter<string?>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Number => reader.TryGetInt64(out var n)
                ? n.ToString(System.Globalization.CultureInfo.InvariantCulture)
                : reader.GetDouble().ToString(System.Globalization.CultureInfo.InvariantCulture),
            JsonTokenType.Null => null,
            _ => throw new JsonException($"Expected a string or number, got {reader.TokenType}."),
        };

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStringValue(value);
        }
    }
}
