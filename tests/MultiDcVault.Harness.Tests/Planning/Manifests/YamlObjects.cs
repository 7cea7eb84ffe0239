using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MultiDcVault.Harness.Tests.Planning.Manifests;

/// <summary>
/// Parses YAML into plain objects (Dictionary, List, string, long, double, bool, null) with
/// the scalar typing Kubernetes applies (sigs.k8s.io/yaml = YAML 1.1: yes/no/on/off are
/// booleans), so a checker sees the types the API server would see.
/// </summary>
internal static partial class YamlObjects
{
    public static IReadOnlyList<object?> ParseAll(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return [.. stream.Documents.Select(d => Convert(d.RootNode))];
    }

    public static object? ParseSingle(string yaml)
    {
        var documents = ParseAll(yaml);
        return documents.Count == 1
            ? documents[0]
            : throw new InvalidOperationException($"Expected one YAML document, found {documents.Count}.");
    }

    public static object? Convert(YamlNode node) => node switch
    {
        YamlMappingNode mapping => mapping.Children.ToDictionary(
            pair => ((YamlScalarNode)pair.Key).Value ?? string.Empty,
            pair => Convert(pair.Value),
            StringComparer.Ordinal),
        YamlSequenceNode sequence => sequence.Children.Select(Convert).ToList(),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new NotSupportedException($"Unsupported YAML node {node.NodeType} at {node.Start}."),
    };

    private static object? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        if (scalar.Style != ScalarStyle.Plain || (!scalar.Tag.IsEmpty && !scalar.Tag.IsNonSpecific && scalar.Tag.Value == "tag:yaml.org,2002:str"))
        {
            return text;
        }

        if (text is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (Yaml11True().IsMatch(text))
        {
            return true;
        }

        if (Yaml11False().IsMatch(text))
        {
            return false;
        }

        var digits = text.Replace("_", string.Empty, StringComparison.Ordinal);
        if (DecimalInteger().IsMatch(digits) && long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return integer;
        }

        if (digits.StartsWith("0x", StringComparison.Ordinal) && long.TryParse(digits[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
        {
            return hex;
        }

        if (Float().IsMatch(digits) && double.TryParse(digits, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        return text;
    }

    [GeneratedRegex("^(y|Y|yes|Yes|YES|true|True|TRUE|on|On|ON)$")]
    private static partial Regex Yaml11True();

    [GeneratedRegex("^(n|N|no|No|NO|false|False|FALSE|off|Off|OFF)$")]
    private static partial Regex Yaml11False();

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex DecimalInteger();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();
}
