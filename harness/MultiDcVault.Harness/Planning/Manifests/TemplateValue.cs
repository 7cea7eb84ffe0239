using System.Globalization;

namespace MultiDcVault.Harness.Planning.Manifests;

/// <summary>
/// A value bound to a {{name}} token. The kind decides the YAML node it becomes, so a
/// number stays a number and a list becomes a sequence instead of a quoted string.
/// </summary>
internal abstract record TemplateValue
{
    public static TemplateValue Text(string value) => new TextValue(value);

    public static TemplateValue Integer(int value) => new IntegerValue(value);

    public static TemplateValue List(IReadOnlyList<string> values) => new ListValue(values);

    /// <summary>A mapping of quoted strings, in key order (annotations).</summary>
    public static TemplateValue Map(IReadOnlyDictionary<string, string> values) => new MapValue(values);

    /// <summary>The value as text inside a longer string, or null when it has no text form.</summary>
    public abstract string? AsText();
}

internal sealed record TextValue(string Value) : TemplateValue
{
    public override string AsText() => Value;
}

internal sealed record IntegerValue(int Value) : TemplateValue
{
    public override string AsText() => Value.ToString(CultureInfo.InvariantCulture);
}

internal sealed record ListValue(IReadOnlyList<string> Values) : TemplateValue
{
    public override string? AsText() => null;
}

internal sealed record MapValue(IReadOnlyDictionary<string, string> Values) : TemplateValue
{
    public override string? AsText() => null;
}
