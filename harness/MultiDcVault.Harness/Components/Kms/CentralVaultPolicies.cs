using MultiDcVault.Harness.Components.Vault;

namespace MultiDcVault.Harness.Components.Kms;

/// <summary>Least-privilege ACL policies (HCL) for the in-cluster Vaults' token on the central Vault.</summary>
internal static class CentralVaultPolicies
{
    public const string AutoUnsealPolicyName = "multidc-autounseal";

    public const string UnsealKeysPolicyName = "multidc-unseal-keys";

    /// <summary>seal "transit" only encrypts and decrypts with one key.</summary>
    public static string AutoUnseal(string transitMountPath, string keyName) =>
        $$"""
        path "{{transitMountPath}}/encrypt/{{keyName}}" {
          capabilities = ["update"]
        }

        path "{{transitMountPath}}/decrypt/{{keyName}}" {
          capabilities = ["update"]
        }
        """;

    /// <summary>bank-vaults reads each key first and writes it only when absent; it never deletes.</summary>
    public static string UnsealKeys(UnsealKeysLocation location)
    {
        ArgumentNullException.ThrowIfNull(location);
        return $$"""
            path "{{location.Mount}}/data/{{location.Folder}}/*" {
              capabilities = ["create", "read", "update"]
            }

            path "{{location.Mount}}/metadata/{{location.Folder}}/*" {
              capabilities = ["read", "list"]
            }
            """;
    }
}
