using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace MultiDcVault.Harness.Tests.TestSupport;

/// <summary>
/// Vault-token-shaped values made fresh for each test run, so no token-shaped literal is committed.
/// The same label gives the same value within one run, so a test can compare what it put in with what came out.
/// </summary>
internal static class TestTokens
{
    private static readonly ConcurrentDictionary<string, string> ByLabel = new(StringComparer.Ordinal);

    /// <summary>"hvs." followed by 32 random alphanumerics (the shape the redactor must catch).</summary>
    public static string Named(string label) =>
        ByLabel.GetOrAdd(label, _ => "hvs." + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));
}
