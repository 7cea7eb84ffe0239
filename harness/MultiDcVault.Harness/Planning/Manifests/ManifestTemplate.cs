using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MultiDcVault.Harness.Planning.Manifests;

/// <summary>
/// A YAML template from /manifests (embedded as "manifests/&lt;path&gt;"). Tokens are bound
/// on the parsed node tree, never by text replacement, so any value is escaped correctly
/// by the YAML emitter and can never change the document's structure.
/// </summary>
internal sealed partial class ManifestTemplate
{
    private const string ResourcePrefix = "manifests/";

    private static readonly ConcurrentDictionary<string, string> TextCache = new(StringComparer.Ordinal);

    private readonly YamlStream _stream;

    private ManifestTemplate(string name, YamlStream stream)
    {
        Name = name;
        _stream = stream;
    }

    /// <summary>Path below /manifests, e.g. "vault/vault.yaml".</summary>
    public string Name { get; }

    public static ManifestTemplate Load(string relativePath) => Parse(relativePath, TextCache.GetOrAdd(relativePath, ReadResource));

    /// <summary>Parses template text; <paramref name="relativePath"/> only names it in errors.</summary>
    public static ManifestTemplate Parse(string relativePath, string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new InvalidOperationException(
                $"Template manifests/{relativePath} is not valid YAML at {ex.Start}: {ex.Message}. Fix the file under /manifests.", ex);
        }

        return new ManifestTemplate(relativePath, stream);
    }

    /// <summary>Names of all embedded templates, for tests that check every one of them.</summary>
    public static IReadOnlyList<string> EmbeddedTemplateNames() =>
        [.. typeof(ManifestTemplate).Assembly.GetManifestResourceNames()
            .Select(n => n.Replace('\\', '/'))
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .Select(n => n[ResourcePrefix.Length..])
            .Order(StringComparer.Ordinal)];

    /// <summary>
    /// Deep-merges a single-document fragment into this template's single document.
    /// Fragments may add keys and append to lists, but never overwrite a scalar: a clash
    /// means the templates disagree, which is a bug worth failing on.
    /// </summary>
    public ManifestTemplate Merge(ManifestTemplate fragment)
    {
        ArgumentNullException.ThrowIfNull(fragment);
        var target = SingleRootMapping();
        var source = fragment.SingleRootMapping();
        MergeMapping(target, source, "$", fragment.Name);
        return this;
    }

    /// <summary>Replaces every {{token}} with its value; unknown or malformed tokens throw.</summary>
    public ManifestTemplate Bind(IReadOnlyDictionary<string, TemplateValue> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        foreach (var document in _stream.Documents)
        {
            document.RootNode.Accept(new TokenChecker(Name));
            Substitute(document.RootNode, values);
        }

        return this;
    }

    /// <summary>Emits all documents, separated by "---".</summary>
    public string Emit()
    {
        var builder = new StringBuilder();
        for (var i = 0; i < _stream.Documents.Count; i++)
        {
            if (i > 0)
            {
                builder.Append("---\n");
            }

            using var writer = new StringWriter(builder, CultureInfo.InvariantCulture) { NewLine = "\n" };

            // A huge line width keeps long values (tokens, URLs) on one line.
            var emitter = new Emitter(writer, new EmitterSettings(2, int.MaxValue, false, 1024));
            new YamlStream(_stream.Documents[i]).Save(emitter, assignAnchors: false);
        }

        return DocumentEndMarker().Replace(builder.ToString(), string.Empty);
    }

    private static string ReadResource(string relativePath)
    {
        var assembly = typeof(ManifestTemplate).Assembly;
        var wanted = ResourcePrefix + relativePath;

        // MSBuild may use the OS separator in %(RecursiveDir).
        var actual = assembly.GetManifestResourceNames()
            .FirstOrDefault(n => string.Equals(n.Replace('\\', '/'), wanted, StringComparison.Ordinal))
            ?? throw new InvalidOperationException(
                $"No embedded template '{wanted}' in {assembly.GetName().Name}. Add /manifests/{relativePath} " +
                "(every /manifests/**/*.yaml is embedded by the harness project).");

        using var stream = assembly.GetManifestResourceStream(actual)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private YamlMappingNode SingleRootMapping()
    {
        if (_stream.Documents.Count != 1 || _stream.Documents[0].RootNode is not YamlMappingNode mapping)
        {
            throw new InvalidOperationException(
                $"Template manifests/{Name} must hold exactly one YAML document whose root is a mapping to be merged.");
        }

        return mapping;
    }

    private static void MergeMapping(YamlMappingNode target, YamlMappingNode source, string path, string fragmentName)
    {
        foreach (var (key, value) in source.Children)
        {
            var keyPath = $"{path}.{key}";
            if (!target.Children.TryGetValue(key, out var existing))
            {
                target.Add(key, value);
            }
            else if (existing is YamlMappingNode existingMap && value is YamlMappingNode valueMap)
            {
                MergeMapping(existingMap, valueMap, keyPath, fragmentName);
            }
            else if (existing is YamlSequenceNode existingList && value is YamlSequenceNode valueList)
            {
                foreach (var item in valueList.Children)
                {
                    existingList.Add(item);
                }
            }
            else
            {
                throw new InvalidOperationException(
                    $"Fragment manifests/{fragmentName} sets {keyPath}, which the base template already sets. " +
                    "Fragments may only add keys or list items; move the value into one of the two files.");
            }
        }
    }

    private YamlNode Substitute(YamlNode node, IReadOnlyDictionary<string, TemplateValue> values)
    {
        switch (node)
        {
            case YamlScalarNode scalar when scalar.Value is { } text && Token().IsMatch(text):
                return Resolve(text, values);

            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children.ToList())
                {
                    mapping.Children[key] = Substitute(value, values);
                }

                return mapping;

            case YamlSequenceNode sequence:
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    sequence.Children[i] = Substitute(sequence.Children[i], values);
                }

                return sequence;

            default:
                return node;
        }
    }

    private YamlNode Resolve(string text, IReadOnlyDictionary<string, TemplateValue> values)
    {
        var whole = WholeToken().Match(text);
        if (whole.Success)
        {
            return Lookup(whole.Groups["name"].Value, values) switch
            {
                TextValue t => Quoted(t.Value),
                IntegerValue i => new YamlScalarNode(i.AsText()) { Style = ScalarStyle.Plain },
                ListValue l => new YamlSequenceNode(l.Values.Select(v => (YamlNode)Quoted(v))),
                MapValue m => new YamlMappingNode(m.Values.OrderBy(p => p.Key, StringComparer.Ordinal)
                    .Select(p => new KeyValuePair<YamlNode, YamlNode>(Quoted(p.Key), Quoted(p.Value)))),
                var other => throw new InvalidOperationException($"Unsupported template value {other.GetType().Name}."),
            };
        }

        // Single pass: values are inserted verbatim and never scanned for tokens again.
        var interpolated = Token().Replace(text, m =>
        {
            var name = m.Groups["name"].Value;
            return Lookup(name, values).AsText() ?? throw new InvalidOperationException(
                $"Template manifests/{Name} puts the list or map {{{{{name}}}}} inside the string \"{text}\". " +
                "A list or map token must be the whole value.");
        });
        return Quoted(interpolated);
    }

    private TemplateValue Lookup(string name, IReadOnlyDictionary<string, TemplateValue> values) =>
        values.TryGetValue(name, out var value)
            ? value
            : throw new InvalidOperationException(
                $"Template manifests/{Name} uses {{{{{name}}}}}, but the renderer supplies no value with that name " +
                $"(known: {string.Join(", ", values.Keys.Order(StringComparer.Ordinal))}). Fix the token or the renderer.");

    private static YamlScalarNode Quoted(string value) => new(value) { Style = ScalarStyle.DoubleQuoted };

    [GeneratedRegex(@"\{\{\s*(?<name>[A-Za-z][A-Za-z0-9]*)\s*\}\}")]
    private static partial Regex Token();

    [GeneratedRegex(@"^\{\{\s*(?<name>[A-Za-z][A-Za-z0-9]*)\s*\}\}$")]
    private static partial Regex WholeToken();

    [GeneratedRegex(@"^\.\.\.\n", RegexOptions.Multiline)]
    private static partial Regex DocumentEndMarker();

    /// <summary>Rejects malformed tokens ("{{ x", "{{x-y}}") and tokens used as keys, before any value is inserted.</summary>
    private sealed class TokenChecker(string templateName) : YamlVisitorBase
    {
        public override void Visit(YamlScalarNode scalar)
        {
            var text = scalar.Value ?? string.Empty;
            var rest = Token().Replace(text, string.Empty);
            if (rest.Contains("{{", StringComparison.Ordinal) || rest.Contains("}}", StringComparison.Ordinal))
            {
                throw new InvalidOperationException(
                    $"Template manifests/{templateName} has a malformed token in \"{text}\". Tokens look like {{{{name}}}} (letters and digits).");
            }
        }

        protected override void VisitPair(YamlNode key, YamlNode value)
        {
            if (key is YamlScalarNode { Value: { } k } && k.Contains("{{", StringComparison.Ordinal))
            {
                throw new InvalidOperationException(
                    $"Template manifests/{templateName} uses a token in the key \"{k}\"; only values may hold tokens.");
            }

            base.VisitPair(key, value);
        }
    }
}
