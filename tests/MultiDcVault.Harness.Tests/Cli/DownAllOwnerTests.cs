using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using MultiDcVault.Cli;
using MultiDcVault.Harness.Clusters.Kind;
using MultiDcVault.Harness.Environment.Down;
using MultiDcVault.Harness.Infrastructure.Docker;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Cli;

/// <summary>down --all over the real sweeper: a live owner's objects stay unless --force, which says whose it removed.</summary>
public sealed class DownAllOwnerTests : IDisposable
{
    private const string ThisHost = "shared-box";

    private readonly CliRunner _cli = new();
    private readonly FakeEnvironmentDocker _docker = new();
    private readonly Dictionary<int, string> _processes = new() { [100] = "live-start" };

    public void Dispose() => _cli.Dispose();

    private CliServices Services() => new()
    {
        CreateEnvironment = (_, _) => throw new InvalidOperationException("down --all needs no environment"),
        SweepAllSessions = (options, _, force, ct) =>
        {
            var runner = new ScriptedProcessRunner();
            var clusters = new KindClusterProvider(new KindCli(runner), _docker, runner, Path.GetTempPath(), "kindest/node:unused", TimeSpan.FromMinutes(1), NullLoggerFactory.Instance);
            return new LeftoverSweeper(clusters, _docker, new OwnerLiveness(new Table(_processes), ThisHost)).SweepForDownAllAsync(options.Session, force, ct);
        },
    };

    private void Add(string kind, string name, string session, int pid, string started) =>
        _docker.LabelledObjects.Add((kind, name, HarnessLabels.For(session, "test", new ResourceOwner(ThisHost, pid, started))));

    private void Seed()
    {
        Add("container", "live-vault", "other", 100, "live-start");
        Add("network", "live-net", "other", 100, "live-start");
        Add("container", "dead-vault", "crashed", 200, "gone");
        Add("network", "dead-net", "crashed", 100, "an-earlier-process");
        Add("volume", "dead-vol", "crashed", 200, "gone");
    }

    [Fact]
    public async Task Without_force_a_live_owners_objects_stay_and_dead_owners_go()
    {
        Seed();

        var result = await _cli.RunAsync(Services(), "down", "--all", "--session", "other2");

        result.ExitCode.Should().Be(0, result.AllOutput);
        _docker.LabelledObjects.Select(o => o.Name).Should().BeEquivalentTo(["live-vault", "live-net"]);
        result.StandardOutput.Should().Contain("Removed containers: dead-vault").And.Contain("Removed networks: dead-net").And.Contain("Removed volumes: dead-vol");
        result.StandardError.Should().NotContain("warning");
    }

    [Fact]
    public async Task Without_force_this_sessions_objects_go_even_while_their_owner_lives()
    {
        Seed();

        var result = await _cli.RunAsync(Services(), "down", "--all", "--session", "other");

        result.ExitCode.Should().Be(0, result.AllOutput);
        _docker.LabelledObjects.Should().BeEmpty();
        result.StandardError.Should().NotContain("warning");
    }

    [Fact]
    public async Task With_force_a_live_owners_objects_go_too_and_one_warning_line_names_the_owner()
    {
        Seed();

        var result = await _cli.RunAsync(Services(), "down", "--all", "--force", "--session", "other2");

        result.ExitCode.Should().Be(0, result.AllOutput);
        _docker.LabelledObjects.Should().BeEmpty();
        result.StandardOutput.Should().Contain("live-vault").And.Contain("live-net");
        result.StandardError.Split('\n').Where(l => l.StartsWith("warning:", StringComparison.Ordinal)).Should().ContainSingle()
            .Which.Should().Contain($"{ThisHost}/100").And.NotContain("/200");
    }

    [Fact]
    public async Task Force_without_all_is_a_usage_error_that_removes_nothing()
    {
        Seed();

        var result = await _cli.RunAsync(Services(), "down", "--force");

        result.ExitCode.Should().Be(2);
        result.StandardError.Should().Contain("--force only goes with --all");
        _docker.LabelledObjects.Should().HaveCount(5);
    }

    private sealed class Table(Dictionary<int, string> started) : IProcessLookup
    {
        public string? StartStamp(int pid) => started.GetValueOrDefault(pid);
    }
}
