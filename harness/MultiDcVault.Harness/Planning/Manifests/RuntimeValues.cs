using MultiDcVault.Harness.Infrastructure.Secrets;

namespace MultiDcVault.Harness.Planning.Manifests;

/// <summary>
/// Values only known while an environment comes up. Anything still unknown renders as a
/// visible placeholder such as "&lt;leader-lb-ip:unknown&gt;", so `multidc plan` can show
/// the manifests before anything exists.
/// </summary>
internal sealed record RuntimeValues
{
    /// <summary>KV v2 logical path (with the "data" segment) bank-vaults writes keys under.</summary>
    public const string DefaultUnsealKeysPath = "secret/data/vault-unseal-keys";

    public const string DefaultTransitKeyName = "autounseal";

    public const string DefaultTransitMountPath = "transit/";

    public const string UnknownLeaderLoadBalancerIp = "<leader-lb-ip:unknown>";

    /// <summary>Existing clusters: up fills in the leader Service's LB ingress IP or hostname (cloud LBs often give a hostname).</summary>
    public const string UnknownLeaderLoadBalancerAddress = "<leader-lb-address:unknown>";

    public const string UnknownCentralVaultAddress = "<central-vault-address:unknown>";

    public const string UnknownCentralVaultToken = "<central-vault-token:unknown>";

    /// <summary>Every runtime value unknown; defaults for the rest.</summary>
    public static RuntimeValues Placeholders { get; } = new();

    /// <summary>LoadBalancer IP of the leader's Vault Service; followers join it.</summary>
    public string? LeaderLoadBalancerIp { get; init; }

    /// <summary>URL of the central Vault as seen from inside the clusters, e.g. http://172.18.0.2:8200.</summary>
    public string? CentralVaultAddress { get; init; }

    /// <summary>Token for the central Vault's KV (unseal keys) and transit engine.</summary>
    public SecretValue? CentralVaultToken { get; init; }

    public string UnsealKeysPath { get; init; } = DefaultUnsealKeysPath;

    public string TransitKeyName { get; init; } = DefaultTransitKeyName;

    public string TransitMountPath { get; init; } = DefaultTransitMountPath;
}
