using System.Globalization;
using System.Text.RegularExpressions;

namespace MultiDcVault.Harness.Tests.Planning.Manifests;

/// <summary>
/// A structural check of a manifest against a CustomResourceDefinition's openAPIV3Schema,
/// close to what the API server enforces: types, required fields, enums, patterns,
/// int-or-string, nested properties and items, and unknown fields REJECTED unless the schema
/// preserves them (x-kubernetes-preserve-unknown-fields) or allows them (additionalProperties).
/// The API server would silently prune unknown fields; a test wants to hear about them.
/// </summary>
internal sealed class CrdSchemaValidator
{
    private static readonly HashSet<string> ObjectMetaFields =
        ["name", "generateName", "namespace", "labels", "annotations", "finalizers", "ownerReferences"];

    private readonly Dictionary<string, Dictionary<string, object?>> _servedSchemas;

    private CrdSchemaValidator(string group, string kind, Dictionary<string, Dictionary<string, object?>> servedSchemas)
    {
        Group = group;
        Kind = kind;
        _servedSchemas = servedSchemas;
    }

    public string Group { get; }

    public string Kind { get; }

    public IReadOnlyCollection<string> ServedVersions => _servedSchemas.Keys;

    public static CrdSchemaValidator LoadFile(string crdPath) => FromYaml(File.ReadAllText(crdPath), crdPath);

    public static CrdSchemaValidator FromYaml(string crdYaml, string source = "inline CRD")
    {
        var crd = AsMap(YamlObjects.ParseSingle(crdYaml), $"{source}: root");
        var spec = AsMap(crd.GetValueOrDefault("spec"), $"{source}: spec");
        var group = (string?)spec.GetValueOrDefault("group") ?? throw new InvalidOperationException($"{source}: spec.group missing");
        var kind = (string?)AsMap(spec.GetValueOrDefault("names"), $"{source}: spec.names").GetValueOrDefault("kind")
            ?? throw new InvalidOperationException($"{source}: spec.names.kind missing");

        var served = new Dictionary<string, Dictionary<string, object?>>(StringComparer.Ordinal);
        foreach (var version in (List<object?>?)spec.GetValueOrDefault("versions") ?? [])
        {
            var v = AsMap(version, $"{source}: spec.versions[]");
            if (v.GetValueOrDefault("served") is true)
            {
                var schema = AsMap(AsMap(v.GetValueOrDefault("schema"), $"{source}: schema").GetValueOrDefault("openAPIV3Schema"), $"{source}: openAPIV3Schema");
                served[(string)v["name"]!] = schema;
            }
        }

        return served.Count > 0 ? new CrdSchemaValidator(group, kind, served) : throw new InvalidOperationException($"{source}: no served version");
    }

    /// <summary>Every violation, each prefixed with the JSON path of the offending value; empty when valid.</summary>
    public IReadOnlyList<string> Validate(object? manifest)
    {
        var violations = new List<string>();
        if (manifest is not Dictionary<string, object?> root)
        {
            violations.Add($"$: expected an object, got {Describe(manifest)}");
            return violations;
        }

        var apiVersion = root.GetValueOrDefault("apiVersion") as string;
        var version = apiVersion is not null && apiVersion.StartsWith(Group + "/", StringComparison.Ordinal) ? apiVersion[(Group.Length + 1)..] : null;
        if (version is null || !_servedSchemas.TryGetValue(version, out var schema))
        {
            violations.Add($"$.apiVersion: expected {string.Join(" or ", _servedSchemas.Keys.Select(k => $"{Group}/{k}"))}, got {Describe(apiVersion)}");
            return violations;
        }

        if (!Equals(root.GetValueOrDefault("kind"), Kind))
        {
            violations.Add($"$.kind: expected {Kind}, got {Describe(root.GetValueOrDefault("kind"))}");
        }

        Check(root, schema, "$", violations);
        return violations;
    }

    private static void Check(object? value, Dictionary<string, object?> schema, string path, List<string> violations)
    {
        if (schema.GetValueOrDefault("x-kubernetes-int-or-string") is true)
        {
            if (value is not (long or string))
            {
                violations.Add($"{path}: expected integer or string, got {Describe(value)}");
            }

            return;
        }

        if (value is null)
        {
            if (schema.GetValueOrDefault("nullable") is not true)
            {
                violations.Add($"{path}: null is not allowed{TypeSuffix(schema)}");
            }

            return;
        }

        CheckEnum(value, schema, path, violations);
        var preserveUnknown = schema.GetValueOrDefault("x-kubernetes-preserve-unknown-fields") is true;
        switch (schema.GetValueOrDefault("type") as string)
        {
            case "object":
                if (value is Dictionary<string, object?> map)
                {
                    if (path == "$.metadata" && !schema.ContainsKey("properties"))
                    {
                        CheckObjectMeta(map, path, violations);
                    }
                    else
                    {
                        CheckObject(map, schema, preserveUnknown, path, violations);
                    }
                }
                else
                {
                    violations.Add($"{path}: expected object, got {Describe(value)}");
                }

                break;

            case "array":
                if (value is List<object?> list)
                {
                    if (schema.GetValueOrDefault("items") is Dictionary<string, object?> items)
                    {
                        for (var i = 0; i < list.Count; i++)
                        {
                            Check(list[i], items, $"{path}[{i}]", violations);
                        }
                    }
                }
                else
                {
                    violations.Add($"{path}: expected array, got {Describe(value)}");
                }

                break;

            case "string":
                if (value is string text)
                {
                    if (schema.GetValueOrDefault("pattern") is string pattern && !Regex.IsMatch(text, pattern, RegexOptions.None, TimeSpan.FromSeconds(1)))
                    {
                        violations.Add($"{path}: \"{text}\" does not match pattern {pattern}");
                    }
                }
                else
                {
                    violations.Add($"{path}: expected string, got {Describe(value)}");
                }

                break;

            case "integer":
                if (value is not long)
                {
                    violations.Add($"{path}: expected integer, got {Describe(value)}");
                }

                break;

            case "number":
                if (value is not (long or double))
                {
                    violations.Add($"{path}: expected number, got {Describe(value)}");
                }

                break;

            case "boolean":
                if (value is not bool)
                {
                    violations.Add($"{path}: expected boolean, got {Describe(value)}");
                }

                break;

            case null:
                // Untyped: only meaningful with preserve-unknown-fields (free-form JSON such as Vault's config);
                // still check any declared properties of an object value.
                if (value is Dictionary<string, object?> freeMap && schema.ContainsKey("properties"))
                {
                    CheckObject(freeMap, schema, preserveUnknown: true, path, violations);
                }

                break;

            case var other:
                violations.Add($"{path}: schema uses unsupported type '{other}'");
                break;
        }
    }

    private static void CheckObject(Dictionary<string, object?> map, Dictionary<string, object?> schema, bool preserveUnknown, string path, List<string> violations)
    {
        foreach (var required in (List<object?>?)schema.GetValueOrDefault("required") ?? [])
        {
            if (required is string name && !map.ContainsKey(name))
            {
                violations.Add($"{path}.{name}: required field is missing");
            }
        }

        var properties = schema.GetValueOrDefault("properties") as Dictionary<string, object?>;
        var additional = schema.GetValueOrDefault("additionalProperties");
        foreach (var (key, child) in map)
        {
            var childPath = $"{path}.{key}";
            if (properties?.GetValueOrDefault(key) is Dictionary<string, object?> propertySchema)
            {
                Check(child, propertySchema, childPath, violations);
            }
            else if (additional is Dictionary<string, object?> additionalSchema)
            {
                Check(child, additionalSchema, childPath, violations);
            }
            else if (additional is not true && !preserveUnknown)
            {
                violations.Add($"{childPath}: unknown field (the schema does not declare it and does not preserve unknown fields)");
            }
        }
    }

    // The API server validates metadata as ObjectMeta, whatever the CRD says; these are the parts a manifest sets.
    private static void CheckObjectMeta(Dictionary<string, object?> map, string path, List<string> violations)
    {
        if (!map.ContainsKey("name") && !map.ContainsKey("generateName"))
        {
            violations.Add($"{path}.name: required field is missing");
        }

        foreach (var (key, child) in map)
        {
            var childPath = $"{path}.{key}";
            switch (key)
            {
                case "name" or "generateName" or "namespace":
                    if (child is not string)
                    {
                        violations.Add($"{childPath}: expected string, got {Describe(child)}");
                    }

                    break;

                case "labels" or "annotations":
                    if (child is not Dictionary<string, object?> entries)
                    {
                        violations.Add($"{childPath}: expected object, got {Describe(child)}");
                    }
                    else
                    {
                        foreach (var (entryKey, entryValue) in entries.Where(e => e.Value is not string))
                        {
                            violations.Add($"{childPath}.{entryKey}: expected string, got {Describe(entryValue)}");
                        }
                    }

                    break;

                default:
                    if (!ObjectMetaFields.Contains(key))
                    {
                        violations.Add($"{childPath}: unknown field (not part of ObjectMeta)");
                    }

                    break;
            }
        }
    }

    private static void CheckEnum(object value, Dictionary<string, object?> schema, string path, List<string> violations)
    {
        if (schema.GetValueOrDefault("enum") is List<object?> allowed && !allowed.Any(a => Equals(a, value)))
        {
            violations.Add($"{path}: {Describe(value)} is not one of [{string.Join(", ", allowed.Select(Describe))}]");
        }
    }

    private static string TypeSuffix(Dictionary<string, object?> schema) =>
        schema.GetValueOrDefault("type") is string type ? $" (expected {type})" : string.Empty;

    private static Dictionary<string, object?> AsMap(object? value, string what) =>
        value as Dictionary<string, object?> ?? throw new InvalidOperationException($"{what}: expected a mapping, got {Describe(value)}");

    private static string Describe(object? value) => value switch
    {
        null => "null",
        string s => $"string \"{s}\"",
        bool b => $"boolean {(b ? "true" : "false")}",
        long l => $"integer {l.ToString(CultureInfo.InvariantCulture)}",
        double d => $"number {d.ToString(CultureInfo.InvariantCulture)}",
        List<object?> => "array",
        Dictionary<string, object?> => "object",
        _ => value.GetType().Name,
    };
}
