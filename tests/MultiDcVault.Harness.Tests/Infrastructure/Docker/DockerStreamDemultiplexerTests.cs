using System.Buffers.Binary;
using System.Text;
using FluentAssertions;
using MultiDcVault.Harness.Infrastructure.Docker;
using Xunit;

namespace MultiDcVault.Harness.Tests.Infrastructure.Docker;

public sealed class DockerStreamDemultiplexerTests
{
    [Fact]
    public async Task Interleaved_frames_are_split_by_stream_type()
    {
        var bytes = Frame(1, "out one\n").Concat(Frame(2, "err one\n")).Concat(Frame(1, "out two\n")).ToArray();

        var output = await DockerStreamDemultiplexer.ReadAllAsync(new TrickleStream(bytes, 3), TestContext.Current.CancellationToken);

        output.Stdout.Should().Be("out one\nout two\n");
        output.Stderr.Should().Be("err one\n");
    }

    [Fact]
    public async Task A_multibyte_character_split_across_frames_survives()
    {
        var euro = Encoding.UTF8.GetBytes("€"); // three bytes
        var bytes = Frame(1, euro[..1]).Concat(Frame(1, euro[1..])).ToArray();

        var output = await DockerStreamDemultiplexer.ReadAllAsync(new MemoryStream(bytes), TestContext.Current.CancellationToken);

        output.Stdout.Should().Be("€");
    }

    [Fact]
    public async Task A_frame_larger_than_the_read_buffer_is_read_whole()
    {
        var big = new string('x', 200_000);

        var output = await DockerStreamDemultiplexer.ReadAllAsync(new MemoryStream(Frame(2, big)), TestContext.Current.CancellationToken);

        output.Stderr.Should().HaveLength(200_000);
        output.Stdout.Should().BeEmpty();
    }

    [Fact]
    public async Task A_raw_tty_stream_is_taken_as_stdout()
    {
        var output = await DockerStreamDemultiplexer.ReadAllAsync(
            new MemoryStream(Encoding.UTF8.GetBytes("plain terminal text\n")), TestContext.Current.CancellationToken);

        output.Stdout.Should().Be("plain terminal text\n");
        output.Stderr.Should().BeEmpty();
    }

    [Fact]
    public async Task A_stream_cut_mid_frame_keeps_what_arrived()
    {
        var bytes = Frame(1, "complete\n").Concat(Frame(1, "truncated payload")[..12]).ToArray();

        var output = await DockerStreamDemultiplexer.ReadAllAsync(new MemoryStream(bytes), TestContext.Current.CancellationToken);

        output.Stdout.Should().Be("complete\ntrun");
    }

    private static byte[] Frame(byte stream, string text) => Frame(stream, Encoding.UTF8.GetBytes(text));

    private static byte[] Frame(byte stream, byte[] payload)
    {
        var frame = new byte[8 + payload.Length];
        frame[0] = stream;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), (uint)payload.Length);
        payload.CopyTo(frame, 8);
        return frame;
    }

    /// <summary>Hands out at most a few bytes per read, like a slow socket.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(chunk, buffer.Length)], cancellationToken);
    }
}
