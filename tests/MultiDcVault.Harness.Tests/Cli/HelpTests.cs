using FluentAssertions;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Cli;

/// <summary>The real executable documents every command and the exit codes scripts rely on.</summary>
public sealed class HelpTests
{
    [Fact]
    public async Task Help_lists_every_command_and_the_exit_codes()
    {
        var result = await MultidcProcess.RunAsync(["--help"], null, TestContext.Current.CancellationToken);

        result.ExitCode.Should().Be(0, result.StandardError);
        var commands = result.StandardOutput[result.StandardOutput.IndexOf("Commands:", StringComparison.Ordinal)..];
        foreach (var command in new[] { "plan", "doctor", "up", "status", "token", "failover", "partition", "latency", "heal", "logs", "down" })
        {
            commands.Should().MatchRegex($@"(?m)^\s+{command}\b", command);
        }

        result.StandardOutput.Should().Contain("0 ok").And.Contain("1 failed, degraded or no environment for the session").And.Contain("2 bad input")
            .And.Contain("3 prerequisites missing").And.Contain("130 interrupted");
    }

    [Fact]
    public async Task An_unknown_command_exits_2_with_one_line()
    {
        var result = await MultidcProcess.RunAsync(["explode"], null, TestContext.Current.CancellationToken);

        result.ExitCode.Should().Be(2);
        result.StandardError.Trim().Split('\n').Should().ContainSingle().Which.Should().Contain("explode");
    }
}
