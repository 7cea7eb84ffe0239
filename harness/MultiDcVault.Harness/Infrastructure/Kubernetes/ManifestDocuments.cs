using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MultiDcVault.Harness.Infrastructure.Kubernetes;

/// <summary>One object of a manifest, as JSON (the body kubectl also sends for a server-side apply).</summary>
internal sealed record ManifestObject(string ApiVersion, string Kind, string Name, string? Namespace, JsonObject Body)
{
    /// <summary>"" for the core group.</summary>
    public string Group => ApiVersion.Contains('/', StringComparison.Ordinal) ? ApiVersion[..ApiVersion.IndexOf('/', StringComparison.Ordinal)] : string.Empty;

    public string Version => ApiVersion.Contains('/', StringComparison.Ordinal) ? ApiVersion[(ApiVersion.IndexOf('/', StringComparison.Ordinal) + 1)..] : ApiVersion;

    public override string ToString() => $"{Kind} {(Namespace is null ? string.Empty : Namespace + "/")}{Name}";
}

/// <summary>
/// Splits a multi-document YAML manifest into objects and converts each to JSON. Quoted scalars stay
/// strings ("8200", "true"); only plain scalars become numbers, booleans or null (YAML 1.2 core schema).
/// </summary>
internal static class ManifestDocuments
{
    public static IReadOnlyList<ManifestObject> Parse(string manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(manifest));
        }
        catch (YamlException ex)
        {
            throw new FormatException($"The manifest is not valid YAML: {ex.Message}", ex);
        }

        List<ManifestObject> objects = [];
        foreach (var document in stream.Documents)
        {
            if (document.RootNode is YamlScalarNode { Value: null or "" or "~" or "null" })
            {
                continue; // an empty document between two "---"
            }

            if (ToJson(document.RootNode) is not JsonObject body)
            {
                throw new FormatException($"A manifest document is not a mapping (line {document.RootNode.Start.Line}).");
            }

            var apiVersion = Required(body, "apiVersion");
            var kind = Required(body, "kind");
            var metadata = body["metadata"] as JsonObject ?? throw new FormatException($"A {kind} in the manifest has no metadata.");
            var name = metadata["name"]?.GetValue<string>() ?? throw new FormatException($"A {kind} in the manifest has no metadata.name.");
            objects.Add(new ManifestObject(apiVersion, kind, name, metadata["namespace"]?.GetValue<string>(), body));
        }

        return objects;
    }

    private static string Required(JsonObject body, string key) =>
        body[key] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0
            ? text
            : throw new FormatException($"A manifest document has no {key}.");

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(p => KeyValuePair.Create(((YamlScalarNode)p.Key).Value ?? string.Empty, ToJson(p.Value)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(ToJson)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new FormatException($"Unsupported YAML node at line {node.Start.Line} (aliases are not used in manifests)."),
    };

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        if (scalar.Style is not ScalarStyle.Plain || scalar.Tag == "tag:yaml.org,2002:str")
        {
            return JsonValue.Create(text);
        }

        return text switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            _ when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer) => JsonValue.Create(integer),
            _ when LooksNumeric(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) => JsonValue.Create(real),
            _ => JsonValue.Create(text),
        };
    }

    private static bool LooksNumeric(string text) => text.Length > 0 && (char.IsAsciiDigit(text[0]) || text[0] is '-' or '+' or '.') && text.Any(char.IsAsciiDigit);
}
