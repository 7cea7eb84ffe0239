using System.Text.Json;
using FluentAssertions;
using MultiDcVault.Cli.Operations;
using MultiDcVault.Cli;
using MultiDcVault.Harness.Configuration;
using MultiDcVault.Harness.Environment.State;
using MultiDcVault.Harness.Environment.Steps;
using MultiDcVault.Harness.Environment;
using MultiDcVault.Harness.Faults;
using MultiDcVault.Harness.Health;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Cli;

/// <summary>up, status, token, logs and down through the CLI seam with a fake environment.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class EnvironmentCommandTests : IDisposable
{
    private readonly CliRunner _cli = new();
    private readonly SimulatedNodeContainers _nodes = new();
    private readonly SimulatedVaultPods _pods = new();
    private readonly List<MultiDcOptions> _created = [];
    private readonly List<EnvironmentServices> _services = [];
    private FakeMultiDcEnvironment? _environment;

    public void Dispose() => _cli.Dispose();

    private FakeMultiDcEnvironment Environment => _environment ?? throw new InvalidOperationException("no command created an environment");

    [Fact]
    public async Task Up_prints_every_endpoint_and_kubeconfig_and_saves_the_token_without_printing_it()
    {
        var result = await _cli.RunAsync(Services(running: false), "up");

        result.ExitCode.Should().Be(0, result.AllOutput);
        var handle = Environment.Handle!;
        foreach (var dc in handle.Datacenters)
        {
            result.StandardOutput.Should().Contain(dc.VaultAddress.GetLeftPart(UriPartial.Authority)).And.Contain(dc.KubeconfigPath).And.Contain(dc.KubeContext);
        }

        result.StandardOutput.Should().Contain("http://127.0.0.1:18200 from this host").And.Contain("multidc token --reveal");
        result.AllOutput.Should().NotContain(CliFakes.RootToken);
        var tokenFile = Path.Combine(handle.WorkDirectory, "access", "root-token");
        result.StandardOutput.Should().Contain($"VAULT_TOKEN=\"$(cat {tokenFile})\"");
        (await File.ReadAllTextAsync(tokenFile, TestContext.Current.CancellationToken)).Should().Be(CliFakes.RootToken);
        File.GetUnixFileMode(tokenFile).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        _created.Single().Keep.Should().BeTrue("the CLI keeps the environment after the process ends");
    }

    [Fact]
    public async Task Up_shows_each_phase_and_the_timings_as_plain_lines_when_output_is_redirected()
    {
        var at = new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);
        var services = Services(running: false);
        var result = await _cli.RunAsync(services with
        {
            CreateEnvironment = (options, env) =>
            {
                var fake = Create(options, env, running: false);
                fake.PhasesToReport =
                [
                    new PhaseEvent("kind create", "primary", PhaseState.Started, at),
                    new PhaseEvent("kind create", "primary", PhaseState.Succeeded, at.AddSeconds(41), TimeSpan.FromSeconds(41)),
                    new PhaseEvent("raft formed", null, PhaseState.Succeeded, at.AddSeconds(95), TimeSpan.FromSeconds(12.5)),
                ];
                return fake;
            },
        }, "up");

        result.ExitCode.Should().Be(0, result.AllOutput);
        result.StandardError.Should().Contain("kind create [primary] started").And.Contain("kind create [primary] succeeded in 41.0s")
            .And.Contain("Phase timings:");
        result.StandardError.IndexOf("kind create [primary]  ", StringComparison.Ordinal).Should().BeLessThan(
            result.StandardError.IndexOf("raft formed  ", StringComparison.Ordinal), "the slowest phase is listed first");
    }

    [Fact]
    public async Task Up_with_missing_prerequisites_exits_3_with_one_line_per_problem()
    {
        var services = Services(running: false, upFailure: new PrerequisitesMissingException(
            ["kind: not found on PATH. Fix: install kind", "helm: not found on PATH. Fix: install helm"]));

        var result = await _cli.RunAsync(services, "up");

        result.ExitCode.Should().Be(3);
        result.StandardError.Should().Contain("\n  kind: not found on PATH").And.Contain("\n  helm: not found on PATH").And.Contain("multidc doctor --fix");
    }

    [Fact]
    public async Task Up_with_missing_prerequisites_prints_each_problem_once_not_in_the_progress_line_too()
    {
        var at = new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);
        var failure = new PrerequisitesMissingException(["kind: not found on PATH. Fix: install kind", "helm: not found on PATH. Fix: install helm"]);
        var result = await _cli.RunAsync(Services(running: false) with
        {
            CreateEnvironment = (options, env) =>
            {
                var fake = Create(options, env, running: false);
                fake.UpFailure = failure;
                fake.PhasesToReport =
                [
                    new PhaseEvent("preflight", null, PhaseState.Started, at),
                    new PhaseEvent("preflight", null, PhaseState.Failed, at.AddSeconds(1), TimeSpan.FromSeconds(1), failure.Message),
                ];
                return fake;
            },
        }, "up");

        result.ExitCode.Should().Be(3);
        failure.Message.Should().Contain("kind: not found", "the phase message carries every problem, which is what used to be printed twice");
        CountOf(result.StandardError, "kind: not found on PATH").Should().Be(1, result.StandardError);
        CountOf(result.StandardError, "helm: not found on PATH").Should().Be(1, result.StandardError);
        result.StandardError.Should().Contain("preflight failed in 1.0s");
    }

    [Fact]
    public async Task Up_failure_exits_1_and_names_the_diagnostics_bundle()
    {
        var services = Services(running: false, upFailure: new EnvironmentUpException(
            "Vault in secondary did not join the Raft cluster within 10m", "/home/u/.multidc/multidc/diagnostics/20250101-120000", new TimeoutException("raft join timed out")));

        var result = await _cli.RunAsync(services, "up");

        result.ExitCode.Should().Be(1);
        result.StandardError.Should().Contain("did not join the Raft cluster").And.Contain("raft join timed out")
            .And.Contain("Diagnostics: /home/u/.multidc/multidc/diagnostics/20250101-120000");
    }

    [Fact]
    public async Task Status_of_a_healthy_environment_is_one_table_and_exit_0()
    {
        var services = Services(running: true, status: Healthy());

        var result = await _cli.RunAsync(services, "status");

        result.ExitCode.Should().Be(0, result.AllOutput);
        var lines = result.StandardOutput.Split('\n');
        lines.Should().Contain(l => l.Contains("Cluster") && l.Contains("LB IP") && l.Contains("Raft role") && l.Contains("Last contact") && l.Contains("Autopilot"));
        lines.Should().Contain(l => l.Contains("primary") && l.Contains("172.18.255.200") && l.Contains("vault-primary-0") && l.Contains("leader") && l.Contains("healthy"));
        lines.Should().Contain(l => l.Contains("secondary") && l.Contains("follower") && l.Contains("120ms"));
        result.StandardOutput.Should().Contain("HEALTHY: leader primary, 3 voters, failure tolerance 1.");
    }

    [Fact]
    public async Task Status_of_a_degraded_environment_exits_1_and_shows_the_problem()
    {
        var degraded = Healthy() with
        {
            Healthy = false,
            FailureTolerance = 0,
            Voters = 2,
            Problems = ["tertiary: Vault is sealed"],
            Datacenters =
            [
                .. Healthy().Datacenters.Take(2),
                new DatacenterStatus("tertiary", "172.18.255.216", "vault-tertiary-0", true, "unknown", null, false, "sealed"),
            ],
        };

        var result = await _cli.RunAsync(Services(running: true, status: degraded), "status");

        result.ExitCode.Should().Be(1);
        result.StandardOutput.Should().Contain("DEGRADED").And.Contain("tertiary: Vault is sealed");
        result.StandardOutput.Split('\n').Should().Contain(l => l.Contains("tertiary") && l.Contains("sealed") && l.Contains("unhealthy"));
    }

    [Fact]
    public async Task Status_during_an_injected_partition_says_unreachable_partitioned_not_an_error_and_exits_1()
    {
        // What the Raft observer returns when it is told primary is partitioned and primary does not answer.
        var faults = new[] { new Harness.Faults.InjectedFault("primary", Harness.Faults.InjectedFaultKind.Partitioned) };
        var annotated = new RaftObservation(
            new RaftHealthSnapshot
            {
                AutopilotReady = true,
                AutopilotHealthy = false,
                FailureTolerance = 0,
                VoterCount = 3,
                ExpectedVoters = 3,
                LeaderId = "secondary",
                LeaderAgreed = true,
                Problems = ["failure tolerance 0, expected 1", $"primary is unreachable (partitioned): {faults[0].Advice}"],
            },
            [
                new DatacenterStatus("primary", "172.18.255.200", "vault-primary-0", null, "unreachable (partitioned)", null, false, faults[0].Advice),
                .. Healthy().Datacenters.Skip(1),
            ]);
        var status = new EnvironmentStatus(false, annotated.Datacenters, "secondary", 3, 0, annotated.Health.Problems) { InjectedFaults = faults };

        var table = await _cli.RunAsync(Services(running: true, status: status), "status");
        var json = await _cli.RunAsync(Services(running: true, status: status), "status", "--output", "json");

        table.ExitCode.Should().Be(1, "an injected fault still leaves the cluster degraded");
        table.StandardError.Should().BeEmpty("nothing failed in the harness");
        table.StandardOutput.Split('\n').Should().Contain(l => l.Contains("primary") && l.Contains("unreachable (partitioned)"));
        table.StandardOutput.Should().Contain("Faults injected by the harness are in place (primary partitioned)").And.NotContain("No route to host");
        using var document = JsonDocument.Parse(json.StandardOutput);
        var injected = document.RootElement.GetProperty("injectedFaults").EnumerateArray().Single();
        injected.GetProperty("cluster").GetString().Should().Be("primary");
        injected.GetProperty("fault").GetString().Should().Be("partitioned");
    }

    [Fact]
    public async Task Status_json_has_a_stable_shape_for_scripts()
    {
        var result = await _cli.RunAsync(Services(running: true, status: Healthy()), "status", "--output", "json");

        result.ExitCode.Should().Be(0, result.AllOutput);
        using var json = JsonDocument.Parse(result.StandardOutput);
        var root = json.RootElement;
        root.GetProperty("healthy").GetBoolean().Should().BeTrue();
        root.GetProperty("leader").GetString().Should().Be("primary");
        root.GetProperty("voters").GetInt32().Should().Be(3);
        root.GetProperty("failureTolerance").GetInt32().Should().Be(1);
        var secondary = root.GetProperty("datacenters").EnumerateArray().Single(d => d.GetProperty("cluster").GetString() == "secondary");
        secondary.GetProperty("loadBalancerIp").GetString().Should().Be("172.18.255.208");
        secondary.GetProperty("sealed").GetBoolean().Should().BeFalse();
        secondary.GetProperty("raftRole").GetString().Should().Be("follower");
        secondary.GetProperty("lastContactMs").GetInt64().Should().Be(120);
        secondary.GetProperty("autopilotHealthy").GetBoolean().Should().BeTrue();
        secondary.GetProperty("problem").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public async Task Status_without_a_running_environment_exits_1_naming_the_session()
    {
        var result = await _cli.RunAsync(Services(running: false), "status", "--session", "lab");

        result.ExitCode.Should().Be(1);
        result.StandardError.Should().Contain("no running environment for session 'lab'").And.Contain("multidc up");
    }

    [Fact]
    public async Task Token_saves_a_0600_file_and_prints_only_how_to_use_it()
    {
        var result = await _cli.RunAsync(Services(running: true), "token");

        result.ExitCode.Should().Be(0, result.AllOutput);
        result.AllOutput.Should().NotContain(CliFakes.RootToken);
        var path = Path.Combine(Environment.Handle!.WorkDirectory, "access", "root-token");
        result.StandardOutput.Should().Contain($"export VAULT_TOKEN=\"$(cat {path})\"");
        File.GetUnixFileMode(path).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Fact]
    public async Task Token_reveal_prints_exactly_the_token()
    {
        var result = await _cli.RunAsync(Services(running: true), "token", "--reveal");

        result.ExitCode.Should().Be(0);
        result.StandardOutput.Should().Be(CliFakes.RootToken + System.Environment.NewLine);
    }

    [Fact]
    public async Task Logs_prints_the_bundle_path()
    {
        MarkStarted();
        var result = await _cli.RunAsync(Services(running: true), "logs", "secondary");

        result.ExitCode.Should().Be(0, result.AllOutput);
        result.StandardOutput.Should().StartWith("/tmp/diagnostics");
        Environment.Calls.Should().Contain("diagnostics: multidc logs secondary");
    }

    [Fact]
    public async Task Logs_without_any_environment_exits_1_naming_the_session_and_collects_nothing()
    {
        var result = await _cli.RunAsync(Services(running: false), "logs", "--session", "lab");

        result.ExitCode.Should().Be(1);
        result.StandardError.Should().Contain("no environment for session 'lab'").And.Contain("multidc up");
        result.StandardOutput.Should().BeEmpty();
        _created.Should().BeEmpty("no bundle is written for an environment that never existed");
    }

    [Fact]
    public async Task Down_without_any_environment_says_so_and_still_sweeps_its_names()
    {
        var result = await _cli.RunAsync(Services(running: false), "down", "--session", "lab");

        result.ExitCode.Should().Be(0, "down is idempotent");
        result.StandardError.Should().Contain("no environment for session 'lab'");
        Environment.Calls.Should().Contain("down");
    }

    [Fact]
    public async Task Down_of_a_started_environment_does_not_claim_it_is_missing()
    {
        MarkStarted();
        var result = await _cli.RunAsync(Services(running: true), "down");

        result.ExitCode.Should().Be(0, result.AllOutput);
        result.StandardError.Should().NotContain("no environment");
    }

    [Fact]
    public async Task Down_of_a_session_that_never_started_exits_0_and_says_there_was_nothing_to_remove()
    {
        // The real teardown over in-memory ports: the work directory of a session that never ran does not exist.
        await using var world = new OrchestrationWorld();
        var workDirectory = Path.Combine(_cli.Root, "never-started");
        _cli.Variables["MULTIDC_WORK_DIR"] = workDirectory;

        var result = await _cli.RunAsync(RealEnvironment(world), "down", "--session", "lab");

        result.ExitCode.Should().Be(0, result.AllOutput);
        result.StandardError.Should().Contain("no environment for session 'lab'").And.NotContain("state.json").And.NotContain("problem:");
        result.StandardOutput.Should().Contain("Nothing to remove").And.Contain("session 'lab'").And.NotContain("Deleted clusters");
        Directory.Exists(workDirectory).Should().BeFalse("down creates nothing");
    }

    [Fact]
    public async Task A_variable_only_up_uses_cannot_stop_down_from_cleaning_up()
    {
        // An IPv6-only subnet is refused for the network up would create; down does not take the setting, so it is not read.
        await using var world = new OrchestrationWorld();
        _cli.Variables["MULTIDC_WORK_DIR"] = Path.Combine(_cli.Root, "never-started");
        _cli.Variables["MULTIDC_NETWORK_SUBNET"] = "fd00:1::/64";

        var result = await _cli.RunAsync(RealEnvironment(world), "down", "--session", "lab");

        result.ExitCode.Should().Be(0, result.AllOutput);
        result.AllOutput.Should().NotContain("MULTIDC_NETWORK_SUBNET");
    }

    [Fact]
    public async Task Down_with_an_unreadable_state_file_removes_what_the_labels_prove_ours_and_exits_0()
    {
        await using var world = new OrchestrationWorld();
        var defaults = new MultiDcOptions();
        var statePath = Path.Combine(_cli.WorkDirectory, EnvironmentStateStore.StateFileName);
        await File.WriteAllTextAsync(statePath, "{ \"session\": \"multidc\", \"clus", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(_cli.WorkDirectory, EnvironmentStateStore.SecretsFileName), "{}", TestContext.Current.CancellationToken);
        world.Docker.NetworkExists = true;
        world.Docker.NetworkSession = defaults.Session;
        foreach (var (cluster, i) in defaults.ClusterNames.Select((c, i) => (c, i)))
        {
            world.Docker.AddKindNode(cluster, defaults.NetworkName, $"172.30.0.{10 + i}");
        }

        world.Docker.SweptContainers = ["multidc-leftover"];

        var result = await _cli.RunAsync(RealEnvironment(world), "down");

        result.ExitCode.Should().Be(0, result.AllOutput);
        result.StandardOutput.Should().Contain($"Deleted clusters: {string.Join(", ", defaults.ClusterNames)}").And.Contain("Removed containers: multidc-leftover");
        result.StandardError.Should().Contain($"note: {statePath} could not be read").And.Contain("labels and names")
            .And.NotContain("run `multidc down`", "down is what the user is running").And.NotContain("problem:");
        world.Runner.InvocationsOf("kind", "delete", "cluster").Select(i => i.Arguments[3]).Should().BeEquivalentTo(defaults.ClusterNames);
        world.Docker.Calls.Should().Contain($"sweep {defaults.Session}");
        File.Exists(statePath).Should().BeFalse();
        var kept = Directory.GetFiles(_cli.WorkDirectory, "*.damaged-*").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        kept.Should().HaveCount(2, "down cannot prove it removed everything, so the record and the secrets are set aside, not deleted");
        kept.Should().OnlyContain(f => f!.StartsWith(EnvironmentStateStore.SecretsFileName + ".damaged-", StringComparison.Ordinal)
            || f.StartsWith(EnvironmentStateStore.StateFileName + ".damaged-", StringComparison.Ordinal));
        result.StandardError.ReplaceLineEndings("\n").Split('\n').Where(l => l.StartsWith("note:", StringComparison.Ordinal))
            .Should().HaveCount(2).And.Contain(l => l.Contains("kept the unreadable state as", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Down_with_an_unreadable_state_file_leaves_clusters_on_an_unlabelled_network_alone()
    {
        await using var world = new OrchestrationWorld();
        var defaults = new MultiDcOptions();
        await File.WriteAllTextAsync(Path.Combine(_cli.WorkDirectory, EnvironmentStateStore.StateFileName), "not json", TestContext.Current.CancellationToken);
        world.Docker.NetworkExists = true;
        world.Docker.NetworkSession = null;
        world.Docker.AddKindNode(defaults.ClusterNames[0], defaults.NetworkName, "172.30.0.10");

        var result = await _cli.RunAsync(RealEnvironment(world), "down");

        // Without the record only labels prove ownership; a cluster they do not prove is reported, as before.
        result.ExitCode.Should().Be(1, result.AllOutput);
        result.StandardError.Should().Contain("note: ").And.Contain($"problem: kind cluster '{defaults.ClusterNames[0]}' exists but is not known to belong");
        world.Runner.InvocationsOf("kind", "delete", "cluster").Should().BeEmpty();
    }

    [Fact]
    public async Task Logs_for_an_unknown_datacenter_exits_2_without_collecting()
    {
        var result = await _cli.RunAsync(Services(running: true), "logs", "mars");

        result.ExitCode.Should().Be(2);
        result.StandardError.Trim().Split('\n').Should().ContainSingle().Which.Should().Contain("mars").And.Contain("primary, secondary, tertiary");
        _created.Should().BeEmpty();
    }

    [Fact]
    public async Task Down_tears_the_environment_down_and_lists_what_went()
    {
        var result = await _cli.RunAsync(Services(running: true), "down");

        result.ExitCode.Should().Be(0, result.AllOutput);
        Environment.Calls.Should().Contain("down");
        result.StandardOutput.Should().Contain("Deleted clusters: primary, secondary, tertiary").And.Contain("Removed networks: multidc");
    }

    [Fact]
    public async Task Down_with_problems_exits_1_and_prints_them()
    {
        var services = Services(running: true);
        var result = await _cli.RunAsync(services with
        {
            CreateEnvironment = (options, env) =>
            {
                var fake = Create(options, env, running: true);
                fake.Teardown = new TeardownReport(["primary"], [], [], ["kind delete cluster secondary failed: exit 1"]);
                return fake;
            },
        }, "down");

        result.ExitCode.Should().Be(1);
        result.StandardError.Should().Contain("kind delete cluster secondary failed");
    }

    [Fact]
    public async Task Down_all_sweeps_every_session_instead_of_this_one()
    {
        var sweeps = new List<EnvironmentServices>();
        var services = Services(running: true) with
        {
            SweepAllSessions = (_, env, _, _) =>
            {
                sweeps.Add(env);
                return Task.FromResult(new TeardownReport(["old-primary"], ["old-central-vault"], ["multidc-old"], []));
            },
        };

        var bin = Directory.CreateDirectory(Path.Combine(_cli.ToolsDirectory, "bin")).FullName;

        var result = await _cli.RunAsync(services, "down", "--all");

        result.ExitCode.Should().Be(0, result.AllOutput);
        sweeps.Should().ContainSingle().Which.ToolDirectory.Should().Be(bin, "the provisioned kind is used before PATH's");
        _created.Should().BeEmpty("--all does not need this session's environment");
        result.StandardOutput.Should().Contain("Deleted clusters: old-primary").And.Contain("Removed containers: old-central-vault");
    }

    [Theory]
    [InlineData("status", "--output", "yaml")]
    [InlineData("up", "--clusters", "4")]
    [InlineData("down", "--unseal", "shamir")]
    [InlineData("frobnicate")]
    public async Task Bad_input_exits_2_with_one_line_and_touches_nothing(params string[] arguments)
    {
        var result = await _cli.RunAsync(Services(running: true), arguments);

        result.ExitCode.Should().Be(2);
        result.StandardError.Trim().Split('\n').Should().ContainSingle();
        _created.Should().BeEmpty();
    }

    [Theory]
    [InlineData("latency --ms 5 primary", "multidc latency --help")]
    [InlineData("status --output yaml", "multidc status --help")]
    [InlineData("frobnicate", "multidc --help")]
    public async Task A_parse_error_points_at_the_help_of_the_command_being_parsed(string arguments, string help)
    {
        var result = await _cli.RunAsync(Services(running: true), arguments.Split(' '));

        result.ExitCode.Should().Be(2);
        result.StandardError.Should().Contain($"(see '{help}')");
    }

    private CliServices Services(bool running, EnvironmentStatus? status = null, Exception? upFailure = null) => new()
    {
        CreateEnvironment = (options, env) =>
        {
            var fake = Create(options, env, running);
            fake.Status = status;
            fake.UpFailure = upFailure;
            return fake;
        },
        SweepAllSessions = (_, _, _, _) => throw new InvalidOperationException("down --all was not asked for"),
    };

    /// <summary>The real environment (up, down, attach) over the world's in-memory ports.</summary>
    private CliServices RealEnvironment(OrchestrationWorld world) => new()
    {
        CreateEnvironment = (options, _) =>
        {
            _created.Add(options);
            return world.CreateEnvironment(options);
        },
        SweepAllSessions = (_, _, _, _) => throw new InvalidOperationException("down --all was not asked for"),
    };

    private FakeMultiDcEnvironment Create(MultiDcOptions options, EnvironmentServices services, bool running)
    {
        _created.Add(options);
        _services.Add(services);
        _environment = new FakeMultiDcEnvironment(options)
        {
            Handle = CliFakes.Handle(options, _cli.WorkDirectory, _nodes, _pods),
            Running = running,
        };
        return _environment;
    }

    /// <summary>What 'multidc up' leaves in the work directory from its first phase on.</summary>
    private void MarkStarted() =>
        File.WriteAllText(Path.Combine(_cli.WorkDirectory, MultiDcVault.Harness.Environment.State.EnvironmentStateStore.StateFileName), "{}");

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static EnvironmentStatus Healthy() => new(
        true,
        [
            new DatacenterStatus("primary", "172.18.255.200", "vault-primary-0", false, "leader", TimeSpan.Zero, true, null),
            new DatacenterStatus("secondary", "172.18.255.208", "vault-secondary-0", false, "follower", TimeSpan.FromMilliseconds(120), true, null),
            new DatacenterStatus("tertiary", "172.18.255.216", "vault-tertiary-0", false, "follower", TimeSpan.FromSeconds(1.5), true, null),
        ],
        "primary",
        3,
        1,
        []);
}
