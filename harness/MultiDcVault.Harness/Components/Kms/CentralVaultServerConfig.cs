using System.Text.Json;

namespace MultiDcVault.Harness.Components.Kms;

/// <summary>
/// The central Vault's server configuration and how the official image is told to use it. It holds no
/// secret, so it may travel in the container's environment.
/// </summary>
internal static class CentralVaultServerConfig
{
    /// <summary>Where the data volume is mounted: the image declares VOLUME /vault/file and owns it as user vault (hashicorp/vault .release/docker/Dockerfile).</summary>
    public const string DataPath = "/vault/file";

    /// <summary>
    /// The image's entrypoint writes this variable's content to /vault/config/local.json and starts
    /// `vault server -config=/vault/config` for the command "server" (hashicorp/vault .release/docker/docker-entrypoint.sh).
    /// </summary>
    public const string LocalConfigVariable = "VAULT_LOCAL_CONFIG";

    /// <summary>
    /// Tells the entrypoint not to run setcap. Vault 2.0.0 runs it as the unprivileged user and exits with
    /// "unable to set CAP_SETFCAP effective capability" (hashicorp/vault#31919, whose maintainers name
    /// SKIP_SETCAP=true as the fix); 2.0.3's image has no setcap at all (hashicorp/vault#32016).
    /// mlock is off anyway (see <see cref="Json"/>), so the capability it would set buys nothing.
    /// </summary>
    public const string SkipSetcapVariable = "SKIP_SETCAP";

    /// <summary>
    /// 1.19.17+, 1.21.6+ and 2.0.1+ images ship the vault binary with cap_ipc_lock baked in as a file
    /// capability, which the kernel refuses to exec unless the container has IPC_LOCK
    /// (hashicorp/web-unified-docs#2479, "Docker image requires IPC_LOCK capability").
    /// </summary>
    public static IReadOnlyList<string> Capabilities { get; } = ["IPC_LOCK"];

    /// <summary>The command the entrypoint turns into `vault server -config=/vault/config` (no -dev).</summary>
    public static IReadOnlyList<string> Command { get; } = ["server"];

    /// <summary>
    /// File storage on the data volume, one plain-HTTP listener on every interface (it is only reachable on
    /// the shared Docker network or a loopback-published port) and mlock off: from 2.0.2 the image's binary
    /// has no cap_ipc_lock, and Vault then fails with "Failed to lock memory" unless disable_mlock is set
    /// (hashicorp/vault#31919; bank-vaults/vault-operator#1108).
    /// </summary>
    public static string Json { get; } = JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["storage"] = new Dictionary<string, object> { ["file"] = new Dictionary<string, string> { ["path"] = DataPath } },
        ["listener"] = new Dictionary<string, object>
        {
            ["tcp"] = new Dictionary<string, object> { ["address"] = "0.0.0.0:8200", ["tls_disable"] = true },
        },
        ["disable_mlock"] = true,
        ["ui"] = false,
    });

    /// <summary>Environment for the container: the configuration and the setcap switch, nothing secret.</summary>
    public static IReadOnlyDictionary<string, string> Environment { get; } = new Dictionary<string, string>
    {
        [LocalConfigVariable] = Json,
        [SkipSetcapVariable] = "true",
    };
}
