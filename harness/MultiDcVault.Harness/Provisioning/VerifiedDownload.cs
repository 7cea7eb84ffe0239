using System.Net;
using System.Security.Cryptography;

namespace MultiDcVault.Harness.Provisioning;

/// <summary>
/// The one download path of everything the harness fetches by URL (CLIs, pinned manifests): streams
/// the body to a new file while hashing it, so the caller can compare the SHA-256 before it moves the
/// file anywhere a reader could find it.
/// </summary>
internal static class VerifiedDownload
{
    private const int BufferSize = 81920;

    /// <summary>Downloads <paramref name="url"/> into the new file <paramref name="path"/>; returns the body's SHA-256 (lower-case hex).</summary>
    public static async Task<string> DownloadAsync(HttpClient http, Uri url, string path, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new ToolProvisioningException($"Downloading {url} failed: {(int)response.StatusCode} {response.ReasonPhrase}. Nothing was installed.");
            }

            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, useAsync: true);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[BufferSize];
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }

            return Convert.ToHexStringLower(hash.GetHashAndReset());
        }
        catch (HttpRequestException ex)
        {
            throw new ToolProvisioningException($"Downloading {url} failed: {ex.Message}. Nothing was installed. Check the network or proxy settings.", ex);
        }
    }

    /// <summary>SHA-256 (lower-case hex) of a file on disk, e.g. a cached copy about to be reused.</summary>
    public static async Task<string> Sha256OfFileAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, useAsync: true);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
    }
}
