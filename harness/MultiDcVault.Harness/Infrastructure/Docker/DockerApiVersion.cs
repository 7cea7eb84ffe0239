using System.Globalization;

namespace MultiDcVault.Harness.Infrastructure.Docker;

/// <summary>A Docker Engine API version such as 1.41, compared numerically (1.9 &lt; 1.41).</summary>
internal readonly record struct DockerApiVersion(int Major, int Minor) : IComparable<DockerApiVersion>
{
    /// <summary>
    /// The newest API we speak: 1.47 (Docker 27.x). Everything we send and read exists unchanged from
    /// 1.41 to 1.47, and Docker 29 refuses clients older than 1.44, so capping here keeps both the CI
    /// engine (Debian docker.io 20.10, API 1.41) and current engines working.
    /// </summary>
    public static DockerApiVersion Newest { get; } = new(1, 47);

    /// <summary>The oldest API we accept: 1.41 (Docker 20.10), the oldest engine we test against.</summary>
    public static DockerApiVersion Oldest { get; } = new(1, 41);

    public static DockerApiVersion Parse(string text) =>
        TryParse(text, out var version)
            ? version
            : throw new FormatException($"'{text}' is not a Docker API version (expected e.g. 1.41).");

    public static bool TryParse(string? text, out DockerApiVersion version)
    {
        version = default;
        var parts = text?.Trim().Split('.');
        if (parts is not { Length: 2 }
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor))
        {
            return false;
        }

        version = new DockerApiVersion(major, minor);
        return true;
    }

    /// <summary>The version to use with a server: the lower of ours and the server's.</summary>
    public static DockerApiVersion Negotiate(DockerApiVersion ours, DockerApiVersion server) =>
        server.CompareTo(ours) < 0 ? server : ours;

    public int CompareTo(DockerApiVersion other) =>
        Major != other.Major ? Major.CompareTo(other.Major) : Minor.CompareTo(other.Minor);

    public static bool operator <(DockerApiVersion left, DockerApiVersion right) => left.CompareTo(right) < 0;

    public static bool operator >(DockerApiVersion left, DockerApiVersion right) => left.CompareTo(right) > 0;

    public static bool operator <=(DockerApiVersion left, DockerApiVersion right) => left.CompareTo(right) <= 0;

    public static bool operator >=(DockerApiVersion left, DockerApiVersion right) => left.CompareTo(right) >= 0;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}");
}
