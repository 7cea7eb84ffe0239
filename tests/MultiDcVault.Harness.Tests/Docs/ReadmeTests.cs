using System.Text.RegularExpressions;
using FluentAssertions;
using MultiDcVault.Cli;
using MultiDcVault.Harness.Configuration;
using Xunit;

namespace MultiDcVault.Harness.Tests.Docs;

/// <summary>The README stays true: every setting and command it must document is there, and nothing it names is made up.</summary>
public sealed partial class ReadmeTests
{
    private static string Readme()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "README.md");
            if (File.Exists(path) && File.Exists(Path.Combine(dir.FullName, "MultiDcVault.Tests.sln")))
            {
                return File.ReadAllText(path);
            }
        }

        throw new FileNotFoundException("README.md beside MultiDcVault.Tests.sln was not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public void Every_setting_is_documented_with_its_cli_option()
    {
        var readme = Readme();
        foreach (var variable in MultiDcSettings.Variables)
        {
            readme.Should().Contain($"`{variable.Name}`");
            if (variable.CliOption is not null)
            {
                readme.Should().Contain($"`{variable.CliOption}`", variable.Name);
            }
        }
    }

    [Fact]
    public void The_configuration_table_is_the_one_generated_from_the_settings_table()
    {
        var lines = Readme().ReplaceLineEndings("\n").Split('\n');
        var start = Array.IndexOf(lines, SettingsMarkdown.Header);
        start.Should().BeGreaterThanOrEqualTo(0, "the README has the configuration table");
        var table = string.Join('\n', lines.Skip(start).TakeWhile(l => l.StartsWith('|')));

        var generated = SettingsMarkdown.Table();
        if (table != generated)
        {
            // Leave the table to paste where the message says, so regenerating is one copy.
            var path = Path.Combine(Path.GetTempPath(), "multidc-readme-configuration-table.md");
            File.WriteAllText(path, generated + "\n");
            table.Should().Be(generated, $"the README's configuration table is generated from MultiDcSettings; paste {path} over it");
        }
    }

    [Fact]
    public void Every_MULTIDC_variable_the_readme_names_exists()
    {
        // The existing KMS's token is read from the environment only, so it is no row of the settings table.
        // The one list of every variable read anywhere (a repository scan keeps it true).
        var known = MultiDcVariables.Known.ToHashSet();
        var named = VariableName().Matches(Readme()).Select(m => m.Value).Distinct();
        named.Should().OnlyContain(n => known.Contains(n));
    }

    [Theory]
    [InlineData("plan")]
    [InlineData("doctor")]
    [InlineData("up")]
    [InlineData("status")]
    [InlineData("token")]
    [InlineData("failover")]
    [InlineData("partition")]
    [InlineData("latency")]
    [InlineData("heal")]
    [InlineData("logs")]
    [InlineData("down")]
    public void Every_cli_command_is_documented(string command)
    {
        var root = MultiDcVault.Cli.CliApp.Build(MultiDcVault.Cli.CliConsole.System, MultiDcVault.Cli.CliServices.Default);
        root.Subcommands.Select(c => c.Name).Should().Contain(command, "the README documents only commands that exist");
        Readme().Should().Contain($"| `{command}");
    }

    [Fact]
    public void The_two_commands_are_the_ones_that_work()
    {
        var readme = Readme();
        readme.Should().Contain("dotnet test MultiDcVault.Tests.sln").And.Contain("dotnet run --project harness/MultiDcVault.Cli -- up");
        File.Exists(Path.Combine(AppContext.BaseDirectory, "multidc.dll")).Should().BeTrue("the CLI project builds the multidc command");
    }

    [GeneratedRegex(@"MULTIDC_[A-Z0-9_]+")]
    private static partial Regex VariableName();
}
