using System.Globalization;
using System.Text.RegularExpressions;

namespace MultiDcVault.Harness.Infrastructure.Processes;

/// <summary>
/// A CLI's semantic version, taken from its version output. Pre-release and build suffixes
/// ("-alpha", "-dispatcher", "+g13654a5") are kept in <see cref="Raw"/> but ignored for comparison.
/// </summary>
internal sealed partial record ToolVersion(int Major, int Minor, int Patch, string Raw) : IComparable<ToolVersion>
{
    /// <summary>Finds the first "[v]X.Y[.Z]" in <paramref name="text"/> (a missing patch counts as 0, as in dev builds like "v4.2").</summary>
    public static ToolVersion? TryParse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var match = VersionShape().Match(text);
        if (!match.Success)
        {
            return null;
        }

        return new ToolVersion(
            Number(match.Groups["major"].Value),
            Number(match.Groups["minor"].Value),
            match.Groups["patch"].Success ? Number(match.Groups["patch"].Value) : 0,
            match.Value);
    }

    public static ToolVersion Parse(string text) =>
        TryParse(text) ?? throw new FormatException($"No version number (like v1.2.3) found in: {Truncate(text)}");

    public int CompareTo(ToolVersion? other)
    {
        if (other is null)
        {
            return 1;
        }

        var major = Major.CompareTo(other.Major);
        if (major != 0)
        {
            return major;
        }

        var minor = Minor.CompareTo(other.Minor);
        return minor != 0 ? minor : Patch.CompareTo(other.Patch);
    }

    public bool IsAtLeast(ToolVersion minimum) => CompareTo(minimum) >= 0;

    public static bool operator <(ToolVersion left, ToolVersion right) => left is null ? right is not null : left.CompareTo(right) < 0;

    public static bool operator >(ToolVersion left, ToolVersion right) => left is not null && left.CompareTo(right) > 0;

    public static bool operator <=(ToolVersion left, ToolVersion right) => left is null || left.CompareTo(right) <= 0;

    public static bool operator >=(ToolVersion left, ToolVersion right) => left is null ? right is null : left.CompareTo(right) >= 0;

    /// <summary>"v1.2.3" without suffixes.</summary>
    public string Core => string.Create(CultureInfo.InvariantCulture, $"v{Major}.{Minor}.{Patch}");

    public override string ToString() => Raw;

    private static int Number(string digits) => int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);

    private static string Truncate(string? text) => text is null ? "(null)" : text.Length <= 200 ? text : text[..200] + "...";

    [GeneratedRegex(@"(?<![\d.])v?(?<major>\d{1,4})\.(?<minor>\d{1,4})(?:\.(?<patch>\d{1,6}))?(?:[-+][0-9A-Za-z.+-]*)?")]
    private static partial Regex VersionShape();
}
