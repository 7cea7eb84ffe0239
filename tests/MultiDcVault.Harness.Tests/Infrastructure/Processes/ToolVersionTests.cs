using FluentAssertions;
using MultiDcVault.Harness.Infrastructure.Processes;
using Xunit;

namespace MultiDcVault.Harness.Tests.Infrastructure.Processes;

public sealed class ToolVersionTests
{
    [Theory]
    [InlineData("v1.32.4-dispatcher", "v1.28.0", true)]
    [InlineData("v1.27.16", "v1.28.0", false)]
    [InlineData("v0.20.0", "v0.20.0", true)]
    [InlineData("v0.9.0", "v0.20.0", false)]
    [InlineData("v4.0.0+g4cd3a83", "v3.12.0", true)]
    [InlineData("v3.11.3+g66a969e", "v3.12.0", false)]
    public void Comparison_is_numeric_and_ignores_suffixes(string actual, string minimum, bool ok)
    {
        ToolVersion.Parse(actual).IsAtLeast(ToolVersion.Parse(minimum)).Should().Be(ok);
    }

    [Fact]
    public void Text_without_a_version_is_a_format_error_quoting_the_text()
    {
        var act = () => ToolVersion.Parse("command not found");

        act.Should().Throw<FormatException>().WithMessage("*command not found*");
        ToolVersion.TryParse(string.Empty).Should().BeNull();
    }
}
