using System.Text.Json.Nodes;
using System.Text.Json;
using MultiDcVault.Harness.Infrastructure.Secrets;

namespace MultiDcVault.Harness.Diagnostics;

/// <summary>
/// Masks credentials in a Bank-Vaults `Vault` CR before it goes into a bundle. The CR carries the
/// central Vault's token twice (spec.unsealConfig.vault.token and spec.config.seal.transit.token),
/// in no token-shaped format the redactor could rely on, so the fields themselves are masked; the
/// values found are returned too, so they can be registered and masked wherever else they appear
/// (the last-applied-configuration annotation, pod descriptions, logs).
/// </summary>
internal static class VaultResourceSecrets
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    // Field names that hold a credential in the CR's free-form config (seal stanzas, storage backends, auth).
    private static readonly HashSet<string> SecretFieldNames =
        new(["password", "secret_id", "secret_key", "client_secret", "access_key", "private_key"], StringComparer.OrdinalIgnoreCase);

    // Environment variable names (vaultEnvsConfig, sidecarEnvsConfig, ...) whose value is a credential.
    private static readonly string[] SecretEnvironmentWords = ["TOKEN", "PASSWORD", "SECRET"];

    /// <summary>The CR as indented JSON with every credential field set to <see cref="Redactor.Mask"/>, and the values removed.</summary>
    public static (string Json, IReadOnlyList<SecretValue> Secrets) Mask(JsonObject vaultResource)
    {
        ArgumentNullException.ThrowIfNull(vaultResource);
        var copy = vaultResource.DeepClone().AsObject();
        List<SecretValue> found = [];
        MaskNode(copy, found);
        return (copy.ToJsonString(Indented), found);
    }

    private static void MaskNode(JsonNode? node, List<SecretValue> found)
    {
        switch (node)
        {
            case JsonObject obj:
                if (IsSecretEnvironmentVariable(obj))
                {
                    Take(obj, "value", found);
                }

                foreach (var name in obj.Select(p => p.Key).ToList())
                {
                    if (IsSecretField(name) && obj[name] is JsonValue)
                    {
                        Take(obj, name, found);
                    }
                    else
                    {
                        MaskNode(obj[name], found);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    MaskNode(item, found);
                }

                break;
            default:
                break;
        }
    }

    // "token", "vault_token", "authToken": any name ending in token; "tokenPath" and the like are not secrets.
    private static bool IsSecretField(string name) =>
        name.EndsWith("token", StringComparison.OrdinalIgnoreCase) || SecretFieldNames.Contains(name);

    private static bool IsSecretEnvironmentVariable(JsonObject obj) =>
        obj["name"] is JsonValue name && name.TryGetValue<string>(out var text) &&
        obj["value"] is JsonValue &&
        SecretEnvironmentWords.Any(word => text.Contains(word, StringComparison.OrdinalIgnoreCase));

    private static void Take(JsonObject obj, string name, List<SecretValue> found)
    {
        if (obj[name] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 && text != Redactor.Mask)
        {
            found.Add(new SecretValue(text));
        }

        obj[name] = Redactor.Mask;
    }
}
