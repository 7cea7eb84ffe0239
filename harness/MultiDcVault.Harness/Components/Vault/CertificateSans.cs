using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography;

namespace MultiDcVault.Harness.Components.Vault;

/// <summary>Reads the IP addresses in a PEM certificate's subjectAltName.</summary>
internal static class CertificateSans
{
    /// <summary>The IP SANs of the first certificate in <paramref name="pem"/>; empty when it has none or is unreadable.</summary>
    public static IReadOnlyList<IPAddress> IpAddresses(string pem)
    {
        if (string.IsNullOrWhiteSpace(pem))
        {
            return [];
        }

        try
        {
            using var certificate = X509Certificate2.CreateFromPem(pem);
            var extension = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
            return extension is null ? [] : [.. extension.EnumerateIPAddresses()];
        }
        catch (CryptographicException)
        {
            return [];
        }
    }

    public static bool Contains(string pem, string ip) =>
        IPAddress.TryParse(ip, out var wanted) && IpAddresses(pem).Any(a => a.Equals(wanted));
}
