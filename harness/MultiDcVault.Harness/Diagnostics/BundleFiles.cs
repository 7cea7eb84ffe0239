using System.Text;
using MultiDcVault.Harness.Infrastructure.Secrets;

namespace MultiDcVault.Harness.Diagnostics;

/// <summary>
/// The bundle directory. Every byte goes through the redactor on its way in: text written here is
/// redacted before it reaches the disk, and trees that a tool wrote itself (kind's exported logs)
/// are rewritten through the redactor afterwards. Remembers what each path is, for the README.
/// </summary>
internal sealed class BundleFiles
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly Redactor _redactor;
    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, string> _entries = new(StringComparer.Ordinal);

    public BundleFiles(string root, Redactor redactor)
    {
        Root = Path.GetFullPath(root);
        _redactor = redactor;
    }

    public string Root { get; }

    /// <summary>Relative path (with '/') -> what it is, for everything written so far.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Entries
    {
        get
        {
            lock (_gate)
            {
                return [.. _entries];
            }
        }
    }

    public async Task WriteTextAsync(string relativePath, string content, string description, CancellationToken cancellationToken)
    {
        var path = FullPath(relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, _redactor.Redact(content), Utf8, cancellationToken);
        Describe(relativePath, description);
    }

    /// <summary>Creates a directory that a tool fills itself; call <see cref="RedactTreeAsync"/> on it afterwards.</summary>
    public string CreateDirectory(string relativePath)
    {
        var path = FullPath(relativePath);
        Directory.CreateDirectory(path);
        return path;
    }

    public void Describe(string relativePath, string description)
    {
        lock (_gate)
        {
            _entries[relativePath] = description;
        }
    }

    /// <summary>
    /// Rewrites every text file below <paramref name="relativePath"/> through the redactor, line by line
    /// (node journals can be large). Files that are not text and links cannot be redacted, so they are
    /// deleted; their relative paths are returned for the README.
    /// </summary>
    public async Task<IReadOnlyList<string>> RedactTreeAsync(string relativePath, CancellationToken cancellationToken)
    {
        var directory = FullPath(relativePath);
        List<string> removed = [];
        if (!Directory.Exists(directory))
        {
            return removed;
        }

        foreach (var file in new DirectoryInfo(directory).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }).ToList())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (file.LinkTarget is not null || !await IsTextAsync(file.FullName, cancellationToken))
            {
                file.Delete();
                removed.Add(Path.GetRelativePath(Root, file.FullName).Replace('\\', '/'));
                continue;
            }

            await RedactFileAsync(file.FullName, cancellationToken);
        }

        // Directory links would let a reader follow them out of the bundle; they carry no content of their own.
        foreach (var link in new DirectoryInfo(directory).EnumerateDirectories("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
                     .Where(d => d.LinkTarget is not null).ToList())
        {
            link.Delete();
            removed.Add(Path.GetRelativePath(Root, link.FullName).Replace('\\', '/'));
        }

        return removed;
    }

    /// <summary>Deletes a tree whose redaction could not be finished: unredacted bytes must never stay in a bundle.</summary>
    public void DeleteTree(string relativePath)
    {
        var directory = FullPath(relativePath);
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        lock (_gate)
        {
            foreach (var key in _entries.Keys.Where(k => k == relativePath || k.StartsWith(relativePath + "/", StringComparison.Ordinal)).ToList())
            {
                _entries.Remove(key);
            }
        }
    }

    /// <summary>A file or directory name made only of characters that are safe on every file system.</summary>
    public static string SafeName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_');
        }

        var safe = builder.ToString().Trim('.');
        return safe.Length == 0 ? "_" : safe;
    }

    private string FullPath(string relativePath)
    {
        var path = Path.GetFullPath(Path.Combine(Root, relativePath));
        if (!path.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{relativePath}' is outside the bundle directory {Root}.", nameof(relativePath));
        }

        return path;
    }

    private async Task RedactFileAsync(string path, CancellationToken cancellationToken)
    {
        var temporary = path + ".redacting";
        using (var reader = new StreamReader(path, Utf8, detectEncodingFromByteOrderMarks: true))
        await using (var writer = new StreamWriter(temporary, append: false, Utf8))
        {
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                await writer.WriteAsync(_redactor.Redact(line).AsMemory(), cancellationToken);
                await writer.WriteAsync('\n');
            }
        }

        File.Move(temporary, path, overwrite: true);
    }

    // Like git and grep: a NUL byte near the start means binary.
    private static async Task<bool> IsTextAsync(string path, CancellationToken cancellationToken)
    {
        var buffer = new byte[8192];
        await using var stream = File.OpenRead(path);
        var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        return Array.IndexOf(buffer, (byte)0, 0, read) < 0;
    }
}
