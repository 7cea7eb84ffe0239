using FluentAssertions;
using MultiDcVault.Cli;
using MultiDcVault.Harness.Faults;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Cli;

/// <summary>partition, latency and heal by hand, against node containers that behave like kind nodes.</summary>
public sealed class FaultCommandTests : IDisposable
{
    private readonly CliRunner _cli = new();
    private readonly SimulatedNodeContainers _nodes = new();
    private readonly SimulatedVaultPods _pods = new();
    private readonly List<FakeMultiDcEnvironment> _environments = [];

    public FaultCommandTests()
    {
        foreach (var dc in new[] { "primary", "secondary", "tertiary" })
        {
            _pods.Seed(dc, $"vault-{dc}-0");
        }
    }

    public void Dispose() => _cli.Dispose();

    private CliServices Services => new()
    {
        CreateEnvironment = (options, _) =>
        {
            var fake = new FakeMultiDcEnvironment(options) { Handle = CliFakes.Handle(options, _cli.WorkDirectory, _nodes, _pods), Running = true };
            _environments.Add(fake);
            return fake;
        },
    };

    [Fact]
    public async Task Partition_cuts_the_named_datacenter_off_with_iptables_in_its_nodes()
    {
        var result = await _cli.RunAsync(Services, "partition", "secondary");

        result.ExitCode.Should().Be(0, result.AllOutput);
        foreach (var node in new[] { "secondary-control-plane", "secondary-worker" })
        {
            _nodes.Rules(node, "iptables", "INPUT").Should().StartWith("-j " + PartitionRules.ChainName);
            _nodes.Rules(node, "iptables", PartitionRules.ChainName).Should().Contain("-d 172.18.0.2 -j DROP");
        }

        _nodes.ChainExists("primary-control-plane", "iptables", PartitionRules.ChainName).Should().BeFalse();
        result.StandardOutput.Should().Contain("partition(secondary)").And.Contain("multidc heal");
    }

    [Fact]
    public async Task Partition_of_an_unknown_datacenter_exits_2_and_runs_nothing()
    {
        var result = await _cli.RunAsync(Services, "partition", "mars");

        result.ExitCode.Should().Be(2);
        result.StandardError.Trim().Split('\n').Should().ContainSingle().Which.Should().Contain("mars").And.Contain("primary, secondary, tertiary");
        _nodes.Execs.Should().BeEmpty();
    }

    [Fact]
    public async Task Latency_on_a_kernel_without_netem_exits_1_with_one_line_naming_sch_netem_and_the_fix()
    {
        _nodes.FailWhenCommandContains["netem"] = "Error: Specified qdisc kind is unknown.";

        var result = await _cli.RunAsync(Services, "latency", "--ms", "50");

        result.ExitCode.Should().Be(1);
        result.StandardError.Trim().Should().StartWith("multidc latency: The Docker host's kernel has no sch_netem")
            .And.Contain("sudo modprobe sch_netem").And.Contain("linux-modules-extra-$(uname -r)").And.NotContain("\n");
    }

    [Fact]
    public async Task Latency_puts_netem_on_every_node_or_only_on_the_chosen_datacenters()
    {
        var all = await _cli.RunAsync(Services, "latency", "--ms", "80", "--jitter-ms", "10");

        all.ExitCode.Should().Be(0, all.AllOutput);
        _nodes.RootQdisc("primary-control-plane", "eth0").Should().Be("netem delay 80ms 10ms distribution normal");
        _nodes.RootQdisc("tertiary-control-plane", "eth0").Should().NotBeNull();

        await _cli.RunAsync(Services, "heal");
        var one = await _cli.RunAsync(Services, "latency", "--ms", "25", "--dc", "tertiary");

        one.ExitCode.Should().Be(0, one.AllOutput);
        _nodes.RootQdisc("tertiary-control-plane", "eth0").Should().Be("netem delay 25ms");
        _nodes.RootQdisc("primary-control-plane", "eth0").Should().BeNull();
    }

    [Theory]
    [InlineData("--ms", "0")]
    [InlineData("--ms", "20000")]
    [InlineData("--ms", "10", "--jitter-ms", "50")]
    [InlineData("--ms", "10", "--jitter-ms", "-1")]
    [InlineData("--jitter-ms", "5")]
    [InlineData("--ms", "ten")]
    public async Task Latency_with_impossible_values_exits_2_before_touching_the_environment(params string[] arguments)
    {
        var result = await _cli.RunAsync(Services, ["latency", .. arguments]);

        result.ExitCode.Should().Be(2);
        result.StandardError.Trim().Split('\n').Should().ContainSingle();
        _environments.Should().BeEmpty();
        _nodes.Execs.Should().BeEmpty();
    }

    [Fact]
    public async Task Heal_from_a_fresh_process_undoes_every_fault_and_can_be_repeated()
    {
        // Faults left by earlier processes: a partition, latency and a paused DC.
        var topology = FaultTopologies.ThreeDatacenters();
        await new PartitionFault(_nodes, topology, "primary").InjectAsync(TestContext.Current.CancellationToken);
        await new LatencyFault(_nodes, topology, TimeSpan.FromMilliseconds(50), TimeSpan.Zero).InjectAsync(TestContext.Current.CancellationToken);
        await _nodes.PauseAsync("tertiary-control-plane", TestContext.Current.CancellationToken);
        _nodes.SeedRule("primary-control-plane", "iptables", "INPUT", "-j KUBE-FIREWALL");

        var first = await _cli.RunAsync(Services, "heal");
        var second = await _cli.RunAsync(Services, "heal");

        first.ExitCode.Should().Be(0, first.AllOutput);
        second.ExitCode.Should().Be(0, second.AllOutput);
        second.StandardOutput.Should().Contain("Healed.");
        _nodes.IsPaused("tertiary-control-plane").Should().BeFalse();
        foreach (var node in topology.Datacenters.SelectMany(d => d.Nodes))
        {
            _nodes.ChainExists(node.ContainerName, "iptables", PartitionRules.ChainName).Should().BeFalse(node.ContainerName);
            _nodes.RootQdisc(node.ContainerName, "eth0").Should().BeNull(node.ContainerName);
        }

        _nodes.Rules("primary-control-plane", "iptables", "INPUT").Should().Equal("-j KUBE-FIREWALL");
        // A deleted pod comes back through its StatefulSet: heal only checks, never deletes or scales.
        first.StandardOutput.Should().Contain("[ OK ] pod vault-tertiary-0 exists");
        _pods.Calls.Should().OnlyContain(c => c.StartsWith("get ", StringComparison.Ordinal)).And.HaveCount(6);
    }

    [Fact]
    public async Task Heal_starts_node_containers_a_power_cycle_left_stopped_before_it_execs_into_any()
    {
        _nodes.MarkStopped("secondary-control-plane");
        _nodes.MarkStopped("secondary-worker");

        var result = await _cli.RunAsync(Services, "heal");

        result.ExitCode.Should().Be(0, result.AllOutput);
        result.StandardOutput.Should().Contain("[ OK ] start stopped node containers of secondary");
        _nodes.IsStopped("secondary-control-plane").Should().BeFalse();
        _nodes.IsStopped("secondary-worker").Should().BeFalse();
        _nodes.Operations.IndexOf("start secondary-worker").Should().BeLessThan(_nodes.Operations.FindIndex(o => o.StartsWith("exec ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Heal_names_a_vault_pod_that_is_not_back_and_exits_1()
    {
        var pods = new SimulatedVaultPods();
        pods.Seed("primary", "vault-primary-0");
        pods.Seed("tertiary", "vault-tertiary-0");
        var services = new CliServices
        {
            CreateEnvironment = (options, _) => new FakeMultiDcEnvironment(options) { Handle = CliFakes.Handle(options, _cli.WorkDirectory, _nodes, pods), Running = true },
        };

        var result = await _cli.RunAsync(services, "heal");

        result.ExitCode.Should().Be(1);
        result.StandardError.Should().Contain("[FAIL] pod vault-secondary-0 exists").And.Contain("kubectl get statefulset vault-secondary");
        result.StandardOutput.Should().Contain("[ OK ] pod vault-primary-0 exists").And.Contain("1 heal step(s) failed");
    }

    [Fact]
    public async Task Heal_keeps_going_past_a_failing_step_and_exits_1_naming_it()
    {
        _nodes.FailWhenCommandContains["tc qdisc del"] = "RTNETLINK answers: Operation not permitted";

        var result = await _cli.RunAsync(Services, "heal");

        result.ExitCode.Should().Be(1);
        result.StandardError.Should().Contain("[FAIL] remove latency").And.Contain("Operation not permitted");
        result.StandardOutput.Should().Contain("[ OK ] pod vault-tertiary-0 exists");
        _pods.Calls.Should().HaveCount(3);
    }
}
