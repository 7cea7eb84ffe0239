using System.Text.Json;
using FluentAssertions;
using MultiDcVault.Cli.Output;
using Xunit;

namespace MultiDcVault.Harness.Tests.Cli;

public sealed class CliJsonTests
{
    [Fact]
    public void Fix_commands_stay_readable_and_parse_back_to_the_same_text()
    {
        const string fix = "`sudo sysctl -w fs.inotify.max_user_watches=524288` needs >= 524288 and 'quotes' <here>";

        var json = CliJson.Serialize(new { Fix = fix, Ready = false });

        json.Should().Contain(fix, "people read doctor --output json too; \\u0060 escapes hide the command to copy");
        using var document = JsonDocument.Parse(json);
        document.RootElement.GetProperty("fix").GetString().Should().Be(fix);
        document.RootElement.GetProperty("ready").GetBoolean().Should().BeFalse();
    }
}
