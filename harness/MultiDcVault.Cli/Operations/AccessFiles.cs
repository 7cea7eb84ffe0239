using MultiDcVault.Harness.Environment;

namespace MultiDcVault.Cli.Operations;

/// <summary>
/// Files a person points Vault and kubectl tools at: the root token (mode 0600, so it is read by
/// `$(cat ...)` and never printed) and each datacenter's Vault CA, under &lt;work dir&gt;/access/.
/// </summary>
internal static class AccessFiles
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static string Directory(EnvironmentHandle handle) => Path.Combine(handle.WorkDirectory, "access");

    public static string TokenPath(EnvironmentHandle handle) => Path.Combine(Directory(handle), "root-token");

    public static string CaPath(EnvironmentHandle handle, string datacenter) => Path.Combine(Directory(handle), $"{datacenter}-ca.pem");

    /// <summary>Reads the root token from the central Vault and writes it to a file only the user can read; returns the path.</summary>
    public static async Task<string> WriteRootTokenAsync(EnvironmentHandle handle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var token = await handle.ReadRootTokenAsync(cancellationToken);
        var path = TokenPath(handle);
        System.IO.Directory.CreateDirectory(Directory(handle));

        // Recreate rather than overwrite: an existing file may have wider permissions.
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        await using (var stream = new FileStream(path, options))
        await using (var writer = new StreamWriter(stream))
        {
            await writer.WriteAsync(token.Reveal());
        }

        return path;
    }

    public static async Task<IReadOnlyDictionary<string, string>> WriteCaFilesAsync(EnvironmentHandle handle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handle);
        System.IO.Directory.CreateDirectory(Directory(handle));
        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var dc in handle.Datacenters)
        {
            var path = CaPath(handle, dc.Name);
            await File.WriteAllTextAsync(path, dc.CaCertificatePem, cancellationToken);
            paths[dc.Name] = path;
        }

        return paths;
    }
}
