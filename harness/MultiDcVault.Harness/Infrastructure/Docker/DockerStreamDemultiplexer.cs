using System.Buffers.Binary;
using System.Text;

namespace MultiDcVault.Harness.Infrastructure.Docker;

/// <summary>
/// Splits Docker's multiplexed stdout/stderr stream (used by logs and attached exec when there is
/// no TTY): frames of an 8-byte header [stream type, 0, 0, 0, big-endian uint32 length] + payload.
/// Type 0 (stdin echo) and 1 go to stdout, 2 to stderr.
/// </summary>
public static class DockerStreamDemultiplexer
{
    private const int HeaderLength = 8;

    public static async Task<ContainerOutput> ReadAllAsync(Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var stdout = new MemoryStream();
        using var stderr = new MemoryStream();
        var header = new byte[HeaderLength];
        var buffer = new byte[64 * 1024];

        while (true)
        {
            var headerRead = await stream.ReadAtLeastAsync(header, HeaderLength, throwOnEndOfStream: false, cancellationToken);
            if (headerRead == 0)
            {
                break;
            }

            if (headerRead < HeaderLength || header[0] > 2 || header[1] != 0 || header[2] != 0 || header[3] != 0)
            {
                // Not a multiplexed stream after all (a TTY stream): everything is stdout.
                stdout.Write(header, 0, headerRead);
                await stream.CopyToAsync(stdout, cancellationToken);
                break;
            }

            var target = header[0] == 2 ? stderr : stdout;
            var remaining = (long)BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));
            while (remaining > 0)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), cancellationToken);
                if (read == 0)
                {
                    // The daemon closed mid-frame (container killed): keep what arrived.
                    remaining = 0;
                    break;
                }

                target.Write(buffer, 0, read);
                remaining -= read;
            }
        }

        // Decode once at the end so multi-byte characters split across frames survive.
        return new ContainerOutput(Encoding.UTF8.GetString(stdout.ToArray()), Encoding.UTF8.GetString(stderr.ToArray()));
    }
}
