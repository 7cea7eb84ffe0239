using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace MultiDcVault.Harness.Infrastructure.Vault;

/// <summary>Builds the HTTP handler that carries a <see cref="VaultTls"/> decision into every TLS handshake.</summary>
internal static class VaultHttpClientFactory
{
    public static SocketsHttpHandler CreateHandler(VaultTls tls)
    {
        ArgumentNullException.ThrowIfNull(tls);
        var handler = new SocketsHttpHandler
        {
            // Vault nodes come and go during failover tests: do not keep connections to dead pods for long.
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            AllowAutoRedirect = false,
        };

        switch (tls.Mode)
        {
            case VaultTlsMode.CustomCa:
                var roots = tls.TrustedCas!;
                handler.SslOptions.RemoteCertificateValidationCallback =
                    (_, certificate, chain, errors) => IsTrustedByCustomCa(certificate, chain, errors, roots);
                break;
            case VaultTlsMode.InsecureSkipVerify:
                handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
                break;
            default:
                break;
        }

        return handler;
    }

    /// <summary>
    /// Accepts the server certificate only when it chains to one of <paramref name="roots"/> (and nothing else)
    /// and the name check the TLS stack already did (DNS or IP SAN) passed.
    /// </summary>
    internal static bool IsTrustedByCustomCa(
        X509Certificate? certificate,
        X509Chain? presentedChain,
        SslPolicyErrors errors,
        X509Certificate2Collection roots)
    {
        if (certificate is null
            || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable)
            || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (presentedChain is not null)
        {
            // Intermediates the server sent; they are used for path building only, never as roots.
            foreach (var element in presentedChain.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        var leaf = certificate as X509Certificate2 ?? new X509Certificate2(certificate);
        return chain.Build(leaf);
    }
}
