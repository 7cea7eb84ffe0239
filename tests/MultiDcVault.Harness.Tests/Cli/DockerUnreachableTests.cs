using FluentAssertions;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Cli;

/// <summary>No Docker engine: every command that needs one says so the same way and exits 3, through the real executable.</summary>
public sealed class DockerUnreachableTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("multidc-home-").FullName;

    public static TheoryData<string[]> CommandsNeedingDocker => new()
    {
        { ["down", "--all"] },
        { ["down"] },
        { ["plan", "--out", "OUT"] },
    };

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [Theory]
    [MemberData(nameof(CommandsNeedingDocker))]
    public async Task Each_command_exits_3_and_lists_where_it_looked_one_place_per_line(string[] arguments)
    {
        var socket = Path.Combine(_home, "no-docker.sock");
        var args = arguments.Select(a => a == "OUT" ? Path.Combine(_home, "plan") : a).ToList();

        var result = await MultidcProcess.RunAsync(
            args,
            new Dictionary<string, string> { ["DOCKER_HOST"] = "unix://" + socket, ["HOME"] = _home },
            TestContext.Current.CancellationToken);

        result.ExitCode.Should().Be(3, result.StandardError);
        var lines = result.StandardError.ReplaceLineEndings("\n").Split('\n');
        lines.Should().Contain(l => l.StartsWith($"multidc {args[0]}: Cannot connect to the Docker engine at unix://{socket}", StringComparison.Ordinal));
        lines.Should().Contain("Looked at:");
        lines.Should().Contain($"  - DOCKER_HOST: unix://{socket} (using it)");
        lines.Should().Contain(l => l.StartsWith("Start Docker", StringComparison.Ordinal));
        result.StandardError.Should().NotContain(" <- ", "the causes are not squashed onto one line");
        Directory.Exists(Path.Combine(_home, "plan")).Should().BeFalse();
    }
}
