using MultiDcVault.Harness.Clusters.Docker;
using FluentAssertions;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Infrastructure.Docker;

/// <summary>What up reads about host images before it pulls (and, for the archive fallback, which platform to save), against the real engine.</summary>
[Trait("Category", "Docker")]
public sealed class LocalImageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_local_image_is_found_with_its_id_and_platform_and_a_missing_one_is_not()
    {
        var docker = await DockerTestSupport.ConnectOrSkipAsync(Ct);
        await DockerTestSupport.RequireTestImageAsync(docker, Ct);
        using var connection = new DockerConnection(_ => Task.FromResult(docker));
        var environment = new DockerEnvironment(connection);

        var found = await environment.FindImageAsync(DockerTestSupport.TestImage, Ct);
        var missing = await environment.FindImageAsync("multidc-test/never-built:" + Guid.NewGuid().ToString("N")[..8], Ct);

        found.Should().NotBeNull();
        found!.Id.Should().StartWith("sha256:");
        found.Platform.Should().MatchRegex("^linux/[a-z0-9]+(/v[0-9]+)?$", "docker image save --platform takes os/arch[/variant]");
        missing.Should().BeNull();
    }
}
