namespace MultiDcVault.Harness.Tests.TestSupport;

/// <summary>
/// Kubeconfig and annotation files for existing-cluster tests, in a temporary directory. Every server is
/// https://192.0.2.1:6443 (TEST-NET-1, RFC 5737: routed nowhere), so anything that tried to contact a cluster would fail.
/// </summary>
internal sealed class ExistingClusterFiles : IDisposable
{
    public const string UnreachableServer = "https://192.0.2.1:6443";

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("multidc-existing-").FullName;

    /// <summary>A kubeconfig with one cluster/user/context per name; the current context is <paramref name="current"/> (none when null).</summary>
    public string Kubeconfig(string fileName, string? current, params string[] contexts)
    {
        var lines = new List<string> { "apiVersion: v1", "kind: Config", "clusters:" };
        lines.AddRange(contexts.SelectMany(c => new[] { $"- name: \"{c}\"", "  cluster:", $"    server: {UnreachableServer}", "    insecure-skip-tls-verify: true" }));
        lines.Add("users:");
        lines.AddRange(contexts.SelectMany(c => new[] { $"- name: \"{c}\"", "  user:", "    username: nobody", "    password: not-a-secret" }));
        lines.Add("contexts:");
        lines.AddRange(contexts.SelectMany(c => new[] { $"- name: \"{c}\"", "  context:", $"    cluster: \"{c}\"", $"    user: \"{c}\"" }));
        if (current is not null)
        {
            lines.Add($"current-context: \"{current}\"");
        }

        return File(fileName, string.Join('\n', lines) + "\n");
    }

    /// <summary>One file per context, each current: the --kubeconfigs form.</summary>
    public string Kubeconfigs(params string[] contexts) =>
        string.Join(',', contexts.Select(c => Kubeconfig($"{c.Replace(':', '_').Replace('/', '_')}.yaml", c, c)));

    public string File(string fileName, string content)
    {
        var path = Path.Combine(Directory, fileName);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
