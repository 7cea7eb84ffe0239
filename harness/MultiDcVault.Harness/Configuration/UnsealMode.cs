namespace MultiDcVault.Harness.Configuration;

/// <summary>How the in-cluster Vaults unseal.</summary>
public enum UnsealMode
{
    /// <summary>Auto-unseal through the central Vault's transit engine (seal "transit"); recovery keys in its KV.</summary>
    Transit,

    /// <summary>Shamir keys kept in the central Vault's KV by bank-vaults (unsealConfig.vault only), as the upstream test does.</summary>
    Kv,
}
