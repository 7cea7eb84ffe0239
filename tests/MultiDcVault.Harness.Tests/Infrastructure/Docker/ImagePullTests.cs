using System.Text.Json;
using Docker.DotNet.Models;
using FluentAssertions;
using MultiDcVault.Harness.Infrastructure.Docker;
using Xunit;

namespace MultiDcVault.Harness.Tests.Infrastructure.Docker;

public sealed class ImagePullTests
{
    [Fact]
    public void Progress_lines_are_reported_in_order()
    {
        var seen = new List<ImagePullProgress>();
        var messages = new ImagePullMessages(new SynchronousProgress(seen));

        Feed(
            messages,
            """{"status":"Pulling from library/busybox","id":"1.36"}""",
            """{"status":"Downloading","progressDetail":{"current":10,"total":20},"progress":"[=====>    ]","id":"abc"}""",
            """{"status":"Status: Downloaded newer image for busybox:1.36"}""");

        seen.Select(p => p.Status).Should().Equal("Pulling from library/busybox", "Downloading", "Status: Downloaded newer image for busybox:1.36");
        seen[1].Id.Should().Be("abc");
        seen[1].Progress.Should().Be("10/20 bytes");
        messages.Error.Should().BeNull();
    }

    [Fact]
    public void An_error_inside_a_successful_response_stream_is_kept_with_the_daemons_message()
    {
        var seen = new List<ImagePullProgress>();
        var messages = new ImagePullMessages(new SynchronousProgress(seen));

        // The lines Docker 20.10 writes for an unknown tag after answering 200 (moby pkg/jsonmessage).
        Feed(
            messages,
            """{"status":"Pulling from library/busybox","id":"nope"}""",
            """{"errorDetail":{"message":"manifest for busybox:nope not found: manifest unknown"},"error":"manifest for busybox:nope not found: manifest unknown"}""",
            """{"errorDetail":{"message":"a later error"},"error":"a later error"}""");

        messages.Error.Should().Be("manifest for busybox:nope not found: manifest unknown");
        seen.Should().ContainSingle().Which.Status.Should().Be("Pulling from library/busybox");
    }

    [Theory]
    [InlineData("busybox", "busybox", "latest")]
    [InlineData("busybox:1.36", "busybox", "1.36")]
    [InlineData("localhost:5000/team/app", "localhost:5000/team/app", "latest")]
    [InlineData("localhost:5000/team/app:v2", "localhost:5000/team/app", "v2")]
    [InlineData("ghcr.io/x/y@sha256:abcd", "ghcr.io/x/y", "sha256:abcd")]
    public void References_split_into_name_and_tag(string image, string name, string tag)
    {
        DockerImages.SplitReference(image).Should().Be((name, tag));
    }

    // Docker.DotNet deserialises each line of the stream into a JSONMessage with System.Text.Json.
    private static void Feed(ImagePullMessages messages, params string[] lines)
    {
        foreach (var line in lines)
        {
            messages.Report(JsonSerializer.Deserialize<JSONMessage>(line)!);
        }
    }

    private sealed class SynchronousProgress(List<ImagePullProgress> seen) : IProgress<ImagePullProgress>
    {
        public void Report(ImagePullProgress value) => seen.Add(value);
    }
}
