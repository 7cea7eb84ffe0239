using System.CommandLine;
using System.Text.RegularExpressions;
using FluentAssertions;
using MultiDcVault.Cli;
using MultiDcVault.Harness.Configuration;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Cli;

/// <summary>The settings table through the real CLI path: variables reach the command, options win, help shows what each command takes.</summary>
public sealed class SettingOptionsTests : IDisposable
{
    private readonly CliRunner _cli = new();
    private readonly List<MultiDcOptions> _created = [];

    public void Dispose() => _cli.Dispose();

    /// <summary>
    /// Upstream fact the binding relies on (dotnet/command-line-api v2.0.11, src/System.CommandLine/Parsing/OptionResult.cs:
    /// <c>Implicit =&gt; IdentifierToken is null || IdentifierToken.Implicit</c>; the project pins 2.0.15): a bool option that
    /// was not given still has a result, an implicit one, so "has a result" does not mean "was given".
    /// </summary>
    [Fact]
    public void A_bool_option_that_was_not_given_has_an_implicit_result()
    {
        var flag = new Option<bool>("--reuse");
        var command = new RootCommand { flag };

        var notGiven = command.Parse([]).GetResult(flag);
        var given = command.Parse(["--reuse"]).GetResult(flag);

        (notGiven is null || notGiven.Implicit).Should().BeTrue();
        given.Should().NotBeNull();
        given!.Implicit.Should().BeFalse();
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("yes", true)]
    [InlineData("0", false)]
    public async Task Up_reads_MULTIDC_REUSE_when_reuse_is_not_given(string value, bool expected)
    {
        _cli.Variables["MULTIDC_REUSE"] = value;

        var result = await _cli.RunAsync(Services(), "up");

        result.ExitCode.Should().Be(0, result.AllOutput);
        _created.Single().Reuse.Should().Be(expected);
    }

    [Theory]
    [InlineData("--reuse", true)]
    [InlineData("--reuse=false", false)]
    public async Task The_reuse_option_wins_over_the_variable(string option, bool expected)
    {
        _cli.Variables["MULTIDC_REUSE"] = expected ? "0" : "1";

        var result = await _cli.RunAsync(Services(), "up", option);

        result.ExitCode.Should().Be(0, result.AllOutput);
        _created.Single().Reuse.Should().Be(expected);
    }

    [Theory]
    [InlineData("MULTIDC_KEEP", "maybe", "up")]
    [InlineData("MULTIDC_REUSE", "2", "up")]
    [InlineData("MULTIDC_KEEP", "perhaps", "status")]
    public async Task An_invalid_switch_variable_is_one_line_and_exit_2(string variable, string value, string command)
    {
        _cli.Variables[variable] = value;

        var result = await _cli.RunAsync(Services(), command);

        result.ExitCode.Should().Be(2);
        result.StandardError.Trim().Split('\n').Should().ContainSingle()
            .Which.Should().Be($"multidc {command}: {variable}='{value}' is not valid: use 1, true or yes to switch it on, 0, false or no to switch it off");
        _created.Should().BeEmpty();
    }

    [Fact]
    public async Task A_number_option_that_is_not_a_number_is_named_as_typed_without_dotnet_type_names()
    {
        var result = await _cli.RunAsync(Services(), "up", "--pool-size", "eight");

        result.ExitCode.Should().Be(2);
        result.StandardError.Trim().Should().Be("multidc up: --pool-size eight is not valid: expected a whole number (default 8)");
    }

    [Fact]
    public async Task An_alias_is_named_as_the_person_typed_it()
    {
        var result = await _cli.RunAsync(Services(), "up", "--names", "a,b");

        result.ExitCode.Should().Be(2);
        result.StandardError.Should().StartWith("multidc up: --names a,b is not valid: use an odd number of clusters");
    }

    [Fact]
    public async Task Every_setting_a_command_takes_reaches_it_from_the_command_line()
    {
        var result = await _cli.RunAsync(
            Services(), "up", "--session", "lab", "--network", "labnet", "--pool-size", "4", "--unseal", "kv",
            "--up-timeout-minutes", "9", "--vault-image", "hashicorp/vault:2.1.2", "--names", "a,b,c");

        result.ExitCode.Should().Be(0, result.AllOutput);
        var options = _created.Single();
        options.Session.Should().Be("lab");
        options.NetworkName.Should().Be("labnet");
        options.PoolSize.Should().Be(4);
        options.UnsealMode.Should().Be(UnsealMode.Kv);
        options.UpTimeout.Should().Be(TimeSpan.FromMinutes(9));
        options.VaultImage.Should().Be("hashicorp/vault:2.1.2");
        options.ClusterNames.Should().Equal("a", "b", "c");
    }

    [Theory]
    [InlineData("down", "--pool-size")]
    [InlineData("doctor", "--session")]
    [InlineData("status", "--vault-image")]
    [InlineData("up", "--keep")]
    public async Task A_command_refuses_a_setting_it_does_not_use(string command, string option)
    {
        var result = await _cli.RunAsync(Services(), command, option, "1");

        result.ExitCode.Should().Be(2);
        result.StandardError.Trim().Split('\n').Should().ContainSingle().Which.Should().Contain(option);
        _created.Should().BeEmpty();
    }

    [Theory]
    [InlineData("up")]
    [InlineData("status")]
    [InlineData("down")]
    [InlineData("doctor")]
    public async Task A_command_that_does_not_serve_existing_clusters_yet_refuses_them_instead_of_building_kind(string command)
    {
        _cli.Variables["MULTIDC_PROVIDER"] = "existing";

        var result = await _cli.RunAsync(Services(), command);

        result.ExitCode.Should().Be(2, result.AllOutput);
        result.StandardError.Trim().Split('\n').Should().ContainSingle()
            .Which.Should().Be($"multidc {command}: MULTIDC_PROVIDER='existing' is not valid: only 'multidc plan' serves existing clusters so far ('multidc {command}' does not)");
        _created.Should().BeEmpty();
    }

    [Fact]
    public void The_table_names_exactly_the_cli_commands()
    {
        var root = CliApp.Build(CliConsole.System, CliServices.Default);

        root.Subcommands.Select(c => c.Name).Should().Equal(SettingCommands.All);
    }

    [Fact]
    public async Task Each_commands_help_lists_exactly_its_settings_each_with_its_variable()
    {
        foreach (var command in SettingCommands.All)
        {
            // 'scenario' groups 'list' (no settings) and 'run', which takes the attach settings.
            string[] arguments = command == "scenario" ? [command, "run", "--help"] : [command, "--help"];
            var help = (await _cli.RunAsync(Services(), arguments)).StandardOutput;
            foreach (var setting in MultiDcSettings.All.Where(s => s.CliOption is not null))
            {
                if (setting.IsTakenBy(command))
                {
                    help.Should().MatchRegex(OptionLine(setting.CliOption!), $"'{command}' takes {setting.CliOption}");
                    help.Should().Contain($"({setting.Variable}; default {setting.Default})", command);
                }
                else
                {
                    help.Should().NotMatchRegex(OptionLine(setting.CliOption!), $"'{command}' does not use {setting.CliOption}");
                }
            }
        }
    }

    /// <summary>A help line for the option, also when shorter aliases come first ("--unseal, --unseal-mode &lt;...&gt;").</summary>
    private static string OptionLine(string option) => $@"(?m)^\s+(?:[-\w]+, )*{Regex.Escape(option)}(?=[ ,])";

    private CliServices Services() => new()
    {
        CreateEnvironment = (options, _) =>
        {
            _created.Add(options);
            return new FakeMultiDcEnvironment(options)
            {
                Handle = CliFakes.Handle(options, _cli.WorkDirectory, new SimulatedNodeContainers(), new SimulatedVaultPods()),
            };
        },
        SweepAllSessions = (_, _, _, _) => throw new InvalidOperationException("down --all was not asked for"),
    };
}
