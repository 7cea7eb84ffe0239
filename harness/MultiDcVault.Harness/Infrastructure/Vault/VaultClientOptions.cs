using MultiDcVault.Harness.Infrastructure.Secrets;

namespace MultiDcVault.Harness.Infrastructure.Vault;

/// <summary>Where a <see cref="VaultClient"/> talks to, as whom, and how patiently.</summary>
internal sealed record VaultClientOptions
{
    /// <summary>Base address of the Vault API, e.g. https://172.18.255.200:8200 (no /v1).</summary>
    public required Uri Address { get; init; }

    /// <summary>Sent as X-Vault-Token; null for the unauthenticated sys endpoints.</summary>
    public SecretValue? Token { get; init; }

    public VaultTls Tls { get; init; } = VaultTls.SystemTrust;

    /// <summary>Upper bound for one request, on top of the caller's CancellationToken.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    // Records print every property; the token is a SecretValue so it prints redacted, but say so explicitly.
    public override string ToString() =>
        $"VaultClientOptions {{ Address = {Address}, Token = {(Token is null ? "none" : Redactor.Mask)}, Tls = {Tls}, RequestTimeout = {RequestTimeout} }}";
}
