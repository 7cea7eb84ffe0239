namespace MultiDcVault.Harness.Components.Vault;

/// <summary>
/// bank-vaults' unsealKeysPath split into KV v2 mount and key folder. bank-vaults reads and writes the logical
/// path "&lt;unsealKeysPath&gt;/&lt;key&gt;" with {"data":{key: base64}}, so the path must contain the "data" segment.
/// </summary>
internal sealed record UnsealKeysLocation(string Mount, string Folder)
{
    public string UnsealKeysPath => $"{Mount}/data/{Folder}";

    /// <summary>KV v2 path (relative to the mount) of one stored key, e.g. vault-unseal-keys/vault-root.</summary>
    public string SecretPathOf(string key) => $"{Folder}/{key}";

    public static UnsealKeysLocation Parse(string unsealKeysPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(unsealKeysPath);
        var segments = unsealKeysPath.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        var dataIndex = Array.IndexOf(segments, "data");
        if (dataIndex < 1 || dataIndex == segments.Length - 1)
        {
            throw new ArgumentException(
                $"unsealKeysPath '{unsealKeysPath}' is not a KV v2 data path. bank-vaults writes to it verbatim, " +
                "so it must look like '<mount>/data/<folder>', e.g. 'secret/data/vault-unseal-keys'.",
                nameof(unsealKeysPath));
        }

        return new UnsealKeysLocation(
            string.Join('/', segments[..dataIndex]),
            string.Join('/', segments[(dataIndex + 1)..]));
    }
}
