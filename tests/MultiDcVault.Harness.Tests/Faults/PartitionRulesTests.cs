using FluentAssertions;
using MultiDcVault.Harness.Faults;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Faults;

public sealed class PartitionRulesTests
{
    private static IEnumerable<string> Lines(IEnumerable<NodeCommand> commands, string container) =>
        commands.Where(c => c.Container == container).Select(c => string.Join(' ', c.Arguments));

    [Fact]
    public void Inject_commands_clean_up_first_then_build_the_chain_then_hook_it_first_in_input_output_forward()
    {
        var commands = PartitionRules.InjectCommands(FaultTopologies.ThreeDatacenters(), "primary");

        commands.Select(c => c.Container).Should().AllBe("primary-control-plane");
        Lines(commands, "primary-control-plane").Should().Equal(
            "iptables -w 10 -D INPUT -j MULTIDC-PARTITION",
            "iptables -w 10 -D OUTPUT -j MULTIDC-PARTITION",
            "iptables -w 10 -D FORWARD -j MULTIDC-PARTITION",
            "iptables -w 10 -F MULTIDC-PARTITION",
            "iptables -w 10 -X MULTIDC-PARTITION",
            "iptables -w 10 -N MULTIDC-PARTITION",
            "iptables -w 10 -A MULTIDC-PARTITION -s 172.18.0.1 -j RETURN",
            "iptables -w 10 -A MULTIDC-PARTITION -d 172.18.0.1 -j RETURN",
            "iptables -w 10 -A MULTIDC-PARTITION -s 172.18.0.3 -j DROP",
            "iptables -w 10 -A MULTIDC-PARTITION -d 172.18.0.3 -j DROP",
            "iptables -w 10 -A MULTIDC-PARTITION -s 172.18.0.4 -j DROP",
            "iptables -w 10 -A MULTIDC-PARTITION -d 172.18.0.4 -j DROP",
            "iptables -w 10 -A MULTIDC-PARTITION -s 172.18.255.208/29 -j DROP",
            "iptables -w 10 -A MULTIDC-PARTITION -d 172.18.255.208/29 -j DROP",
            "iptables -w 10 -A MULTIDC-PARTITION -s 172.18.0.5 -j DROP",
            "iptables -w 10 -A MULTIDC-PARTITION -d 172.18.0.5 -j DROP",
            "iptables -w 10 -A MULTIDC-PARTITION -m iprange --src-range 172.18.255.216-172.18.255.223 -j DROP",
            "iptables -w 10 -A MULTIDC-PARTITION -m iprange --dst-range 172.18.255.216-172.18.255.223 -j DROP",
            "iptables -w 10 -I INPUT 1 -j MULTIDC-PARTITION",
            "iptables -w 10 -I OUTPUT 1 -j MULTIDC-PARTITION",
            "iptables -w 10 -I FORWARD 1 -j MULTIDC-PARTITION");

        // Creating rules must succeed; only the leading clean-up may find nothing to remove.
        commands.Take(5).Should().OnlyContain(c => c.ToleratedErrors.Count > 0);
        commands.Skip(5).Should().OnlyContain(c => c.ToleratedErrors.Count == 0);
    }

    [Fact]
    public void Heal_commands_delete_the_three_jumps_then_flush_and_delete_the_chain_tolerating_absence()
    {
        var commands = PartitionRules.HealCommands(FaultTopologies.ThreeDatacenters(), "tertiary");

        Lines(commands, "tertiary-control-plane").Should().Equal(
            "iptables -w 10 -D INPUT -j MULTIDC-PARTITION",
            "iptables -w 10 -D OUTPUT -j MULTIDC-PARTITION",
            "iptables -w 10 -D FORWARD -j MULTIDC-PARTITION",
            "iptables -w 10 -F MULTIDC-PARTITION",
            "iptables -w 10 -X MULTIDC-PARTITION");
        commands.Should().OnlyContain(c => c.IsTolerated(new NodeExecResult(1, "", "iptables: No chain/target/match by that name.")));
        commands.Should().OnlyContain(c => !c.IsTolerated(new NodeExecResult(4, "", "iptables: Permission denied (you must be root).")));
    }

    [Fact]
    public void Every_node_of_a_multi_node_datacenter_gets_the_rules_and_never_blocks_its_own_addresses()
    {
        var commands = PartitionRules.InjectCommands(FaultTopologies.ThreeDatacenters(), "secondary");

        commands.Select(c => c.Container).Distinct().Should().Equal("secondary-control-plane", "secondary-worker");
        Lines(commands, "secondary-worker").Should().Equal(Lines(commands, "secondary-control-plane"));
        var text = string.Join('\n', Lines(commands, "secondary-worker"));
        text.Should().Contain("--src-range 172.18.255.200-172.18.255.207").And.Contain("-d 172.18.0.2 -j DROP").And.Contain("-s 172.18.0.5 -j DROP");
        text.Should().NotContain("172.18.0.3").And.NotContain("172.18.0.4").And.NotContain("172.18.255.208/29");
    }

    [Fact]
    public void Dual_stack_adds_ip6tables_rules_with_only_the_ipv6_addresses()
    {
        var commands = PartitionRules.InjectCommands(FaultTopologies.ThreeDatacenters(dualStack: true), "tertiary");
        var v6 = commands.Where(c => c.Arguments[0] == "ip6tables").Select(c => string.Join(' ', c.Arguments)).ToList();
        var v4 = commands.Where(c => c.Arguments[0] == "iptables").Select(c => string.Join(' ', c.Arguments)).ToList();

        v6.Should().Contain("ip6tables -w 10 -A MULTIDC-PARTITION -s fc00:f853:ccd:e793::1 -j RETURN");
        v6.Should().Contain("ip6tables -w 10 -A MULTIDC-PARTITION -m iprange --dst-range fc00:f853:ccd:e793::ff00-fc00:f853:ccd:e793::ff07 -j DROP");
        v6.Should().Contain("ip6tables -w 10 -A MULTIDC-PARTITION -d fc00:f853:ccd:e793::3 -j DROP");
        v6.Should().Contain("ip6tables -w 10 -I FORWARD 1 -j MULTIDC-PARTITION");
        v6.Should().NotContain(l => l.Contains("172.18.", StringComparison.Ordinal));
        v4.Should().NotContain(l => l.Contains("fc00:", StringComparison.Ordinal));
        PartitionRules.HealCommands(FaultTopologies.ThreeDatacenters(dualStack: true), "tertiary")
            .Select(c => c.Arguments[0]).Distinct().Should().Equal("iptables", "ip6tables");
    }

    [Fact]
    public void A_malformed_pool_is_rejected_with_the_datacenter_and_the_value()
    {
        var topology = FaultTopologies.ThreeDatacenters() with
        {
            Datacenters = [.. FaultTopologies.ThreeDatacenters().Datacenters.Select(d => d.Name == "tertiary" ? d with { LoadBalancerPools = ["172.18.255.216-fc00::1"] } : d)],
        };

        var act = () => PartitionRules.InjectCommands(topology, "primary");

        act.Should().Throw<ArgumentException>().WithMessage("*pool '172.18.255.216-fc00::1' of datacenter 'tertiary'*different address families*");
    }

    [Fact]
    public void An_unknown_datacenter_names_the_known_ones()
    {
        var act = () => PartitionRules.InjectCommands(FaultTopologies.ThreeDatacenters(), "quaternary");

        act.Should().Throw<ArgumentException>().WithMessage("*'quaternary'*primary, secondary, tertiary*");
    }
}
