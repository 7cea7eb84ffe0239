namespace MultiDcVault.Harness.Infrastructure.Docker;

/// <summary>
/// The parts of the machine the endpoint resolver reads: environment variables, the home
/// directory, the user id and well-known socket locations. Injected so tests can point every
/// source at a temporary directory.
/// </summary>
internal sealed record DockerHostEnvironment(
    Func<string, string?> GetVariable,
    string HomeDirectory,
    uint? UserId,
    string DefaultSocketPath,
    string RunUserDirectory)
{
    /// <summary>Whether a socket (or any non-directory file) exists at a path.</summary>
    public Func<string, bool> PathExists { get; init; } = File.Exists;

    public static DockerHostEnvironment Current { get; } = new(
        System.Environment.GetEnvironmentVariable,
        System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile),
        ReadUserId(),
        "/var/run/docker.sock",
        "/run/user");

    // Linux exposes the real uid in /proc; elsewhere the /run/user/<uid> location does not exist anyway.
    private static uint? ReadUserId()
    {
        try
        {
            const string statusFile = "/proc/self/status";
            if (!File.Exists(statusFile))
            {
                return null;
            }

            foreach (var line in File.ReadLines(statusFile))
            {
                if (line.StartsWith("Uid:", StringComparison.Ordinal))
                {
                    var fields = line["Uid:".Length..].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                    return fields.Length > 0 && uint.TryParse(fields[0], out var uid) ? uid : null;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return null;
    }
}
