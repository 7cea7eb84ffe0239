using System.Text;
using FluentAssertions;
using MultiDcVault.Harness.Infrastructure.Docker;
using Xunit;

namespace MultiDcVault.Harness.Tests.Infrastructure.Docker;

public sealed class ImagePullTests
{
    [Fact]
    public async Task Progress_lines_are_reported_in_order()
    {
        var stream = Lines(
            """{"status":"Pulling from library/busybox","id":"1.36"}""",
            """{"status":"Downloading","progressDetail":{"current":10,"total":20},"progress":"[=====>    ]","id":"abc"}""",
            """{"status":"Status: Downloaded newer image for busybox:1.36"}""");
        var seen = new List<ImagePullProgress>();

        await ImagePullStreamReader.ReadAsync(stream, "busybox:1.36", new SynchronousProgress(seen), TestContext.Current.CancellationToken);

        seen.Select(p => p.Status).Should().Equal("Pulling from library/busybox", "Downloading", "Status: Downloaded newer image for busybox:1.36");
        seen[1].Id.Should().Be("abc");
        seen[1].Progress.Should().Be("[=====>    ]");
    }

    [Fact]
    public async Task An_error_inside_a_successful_response_stream_is_raised_with_the_daemons_message()
    {
        var stream = Lines(
            """{"status":"Pulling from library/busybox","id":"nope"}""",
            """{"errorDetail":{"message":"manifest for busybox:nope not found: manifest unknown"},"error":"manifest for busybox:nope not found: manifest unknown"}""");

        var act = () => ImagePullStreamReader.ReadAsync(stream, "busybox:nope", null, TestContext.Current.CancellationToken);

        var error = (await act.Should().ThrowAsync<DockerApiException>()).Which;
        error.DaemonMessage.Should().Be("manifest for busybox:nope not found: manifest unknown");
        error.Message.Should().Contain("busybox:nope").And.Contain("docker load");
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

    private static MemoryStream Lines(params string[] lines) => new(Encoding.UTF8.GetBytes(string.Join("\r\n", lines) + "\r\n"));

    private sealed class SynchronousProgress(List<ImagePullProgress> seen) : IProgress<ImagePullProgress>
    {
        public void Report(ImagePullProgress value) => seen.Add(value);
    }
}
