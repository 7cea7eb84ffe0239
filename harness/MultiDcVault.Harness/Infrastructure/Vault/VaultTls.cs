using System.Security.Cryptography.X509Certificates;

namespace MultiDcVault.Harness.Infrastructure.Vault;

/// <summary>How a <see cref="VaultClient"/> decides whether to trust a Vault server's certificate.</summary>
internal sealed class VaultTls
{
    private VaultTls(VaultTlsMode mode, X509Certificate2Collection? trustedCas)
    {
        Mode = mode;
        TrustedCas = trustedCas;
    }

    public VaultTlsMode Mode { get; }

    /// <summary>The only roots accepted when <see cref="Mode"/> is <see cref="VaultTlsMode.CustomCa"/>.</summary>
    internal X509Certificate2Collection? TrustedCas { get; }

    /// <summary>The operating system's trust store (and plain http when the address is http).</summary>
    public static VaultTls SystemTrust { get; } = new(VaultTlsMode.SystemTrust, null);

    /// <summary>
    /// Trust only the CA(s) in <paramref name="caPem"/> (e.g. ca.crt of the operator's vault-primary-tls Secret).
    /// The host name or IP address in the request must still be in the server certificate's SANs.
    /// </summary>
    public static VaultTls TrustCaPem(string caPem)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(caPem);
        var cas = new X509Certificate2Collection();
        try
        {
            cas.ImportFromPem(caPem);
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            throw new ArgumentException("The Vault CA bundle is not valid PEM: expected one or more '-----BEGIN CERTIFICATE-----' blocks (the ca.crt key of the Vault TLS Secret).", nameof(caPem), ex);
        }

        if (cas.Count == 0)
        {
            throw new ArgumentException("The Vault CA bundle holds no certificate: expected one or more '-----BEGIN CERTIFICATE-----' blocks (the ca.crt key of the Vault TLS Secret).", nameof(caPem));
        }

        return new VaultTls(VaultTlsMode.CustomCa, cas);
    }

    /// <summary>
    /// Accept any server certificate. Only for throw-away environments where nothing else is available;
    /// it has to be asked for by name so it never happens by default.
    /// </summary>
    public static VaultTls InsecureSkipVerify() => new(VaultTlsMode.InsecureSkipVerify, null);

    public override string ToString() => Mode switch
    {
        VaultTlsMode.CustomCa => $"trust {TrustedCas!.Count} custom CA certificate(s)",
        VaultTlsMode.InsecureSkipVerify => "INSECURE: server certificate not verified",
        _ => "system trust store",
    };
}

internal enum VaultTlsMode
{
    SystemTrust,
    CustomCa,
    InsecureSkipVerify,
}
