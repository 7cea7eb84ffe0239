using System.Globalization;
using System.Text;

namespace MultiDcVault.Harness.Tests.TestSupport.KubeApi;

/// <summary>Reads HTTP/1.1 requests (Content-Length or chunked bodies) off one connection.</summary>
internal sealed class HttpRequestReader(Stream stream)
{
    private readonly BufferedStream _input = new(stream);

    public async Task<RawRequest?> ReadAsync(CancellationToken cancellationToken)
    {
        var requestLine = await ReadLineAsync(cancellationToken);
        if (string.IsNullOrEmpty(requestLine))
        {
            return null;
        }

        var parts = requestLine.Split(' ');
        var target = parts[1];
        var queryAt = target.IndexOf('?', StringComparison.Ordinal);
        Dictionary<string, string> headers = new(StringComparer.OrdinalIgnoreCase);
        for (var line = await ReadLineAsync(cancellationToken); !string.IsNullOrEmpty(line); line = await ReadLineAsync(cancellationToken))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        byte[] body;
        if (headers.TryGetValue("Transfer-Encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            using var collected = new MemoryStream();
            while (true)
            {
                var size = int.Parse((await ReadLineAsync(cancellationToken) ?? "0").Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (size == 0)
                {
                    await ReadLineAsync(cancellationToken);
                    break;
                }

                collected.Write(await ReadExactlyAsync(size, cancellationToken));
                await ReadLineAsync(cancellationToken);
            }

            body = collected.ToArray();
        }
        else
        {
            body = headers.TryGetValue("Content-Length", out var length) ? await ReadExactlyAsync(int.Parse(length, CultureInfo.InvariantCulture), cancellationToken) : [];
        }

        return new RawRequest(
            parts[0],
            queryAt < 0 ? target : target[..queryAt],
            queryAt < 0 ? string.Empty : target[queryAt..],
            headers,
            Encoding.UTF8.GetString(body));
    }

    private async Task<byte[]> ReadExactlyAsync(int count, CancellationToken cancellationToken)
    {
        var buffer = new byte[count];
        await _input.ReadExactlyAsync(buffer, cancellationToken);
        return buffer;
    }

    private async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (true)
        {
            if (await _input.ReadAsync(one, cancellationToken) == 0)
            {
                return line.Length == 0 ? null : line.ToString();
            }

            if (one[0] == '\n')
            {
                return line.ToString().TrimEnd('\r');
            }

            line.Append((char)one[0]);
        }
    }
}

internal sealed record RawRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
