using FluentAssertions;
using MultiDcVault.Harness.Infrastructure.Docker;
using Xunit;

namespace MultiDcVault.Harness.Tests.Infrastructure.Docker;

public sealed class DockerApiVersionTests
{
    [Theory]
    [InlineData("1.47", "1.41", "1.41")] // Debian's docker.io 20.10: the server is older, use its version.
    [InlineData("1.47", "1.51", "1.47")] // Current engines: never ask for more than we understand.
    [InlineData("1.47", "1.47", "1.47")]
    [InlineData("1.41", "1.9", "1.9")] // Minor versions compare as numbers, not text.
    public void Negotiation_uses_the_lower_of_ours_and_the_servers(string ours, string server, string expected)
    {
        DockerApiVersion.Negotiate(DockerApiVersion.Parse(ours), DockerApiVersion.Parse(server))
            .Should().Be(DockerApiVersion.Parse(expected));
    }

    [Fact]
    public void Versions_compare_numerically()
    {
        DockerApiVersion.Parse("1.9").Should().BeLessThan(DockerApiVersion.Parse("1.41"));
        (DockerApiVersion.Parse("2.0") > DockerApiVersion.Parse("1.99")).Should().BeTrue();
        DockerApiVersion.Parse("1.41").ToString().Should().Be("1.41");
    }

    [Theory]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("v1.41")]
    [InlineData("1.41.2")]
    [InlineData(null)]
    public void Malformed_versions_are_rejected(string? text)
    {
        DockerApiVersion.TryParse(text, out _).Should().BeFalse();
    }

    [Fact]
    public void Our_newest_version_still_covers_the_ci_engine_and_current_minimums()
    {
        // Docker 29 refuses clients below 1.44; the CI engine (20.10) speaks 1.41.
        DockerApiVersion.Newest.Should().BeGreaterThanOrEqualTo(DockerApiVersion.Parse("1.44"));
        DockerApiVersion.Oldest.Should().Be(DockerApiVersion.Parse("1.41"));
    }
}
