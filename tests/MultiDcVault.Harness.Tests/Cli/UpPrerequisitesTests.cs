using FluentAssertions;
using MultiDcVault.Harness.Infrastructure.Docker;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Cli;

/// <summary>
/// The real <c>multidc up</c> on a machine without kind, kubectl and helm (an empty PATH):
/// it must fail fast with exit 3, name each missing tool, and create nothing.
/// </summary>
[Trait("Category", "Docker")]
public sealed class UpPrerequisitesTests : IDisposable
{
    private readonly string _emptyPath = Directory.CreateTempSubdirectory("multidc-nopath-").FullName;
    private readonly string _workDirectory = Path.Combine(Path.GetTempPath(), "multidc-up-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Directory.Delete(_emptyPath, recursive: true);
        if (Directory.Exists(_workDirectory))
        {
            Directory.Delete(_workDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task Up_without_the_tools_exits_3_naming_them_and_leaves_no_docker_resource()
    {
        var ct = TestContext.Current.CancellationToken;
        using var docker = await DockerTestSupport.ConnectOrSkipAsync(ct);
        var session = "upcheck" + Guid.NewGuid().ToString("N")[..8];

        var result = await MultidcProcess.RunAsync(
            ["up", "--session", session, "--network", session, "--work-dir", _workDirectory],
            new Dictionary<string, string> { ["PATH"] = _emptyPath },
            ct);

        result.ExitCode.Should().Be(3, result.StandardError);
        result.StandardError.Should().Contain("kind").And.Contain("kubectl").And.Contain("helm").And.Contain("doctor --fix");
        (await docker.Containers.ListAsync(HarnessLabels.SessionFilter(session), ct)).Should().BeEmpty();
        (await docker.Networks.TryInspectAsync(session, ct)).Should().BeNull("up must not create the network before the preflight passed");
        Directory.Exists(_workDirectory).Should().BeFalse("nothing is written before the preflight passed");
    }
}
