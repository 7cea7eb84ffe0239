using FluentAssertions;
using MultiDcVault.Harness.Configuration;
using MultiDcVault.Harness.Infrastructure.Processes;
using Xunit;

namespace MultiDcVault.Harness.Tests.Configuration;

public sealed class MultiDcOptionsBinderTests
{
    private static MultiDcOptions Bind(Dictionary<string, string?> env, MultiDcOptionsOverrides? overrides = null) =>
        MultiDcOptionsBinder.Bind(env, overrides);

    private static MultiDcOptions BindOne(string variable, string value) => Bind(new() { [variable] = value });

    private static IReadOnlyList<string> Problems(Dictionary<string, string?> env, MultiDcOptionsOverrides? overrides = null)
    {
        var act = () => Bind(env, overrides);
        return act.Should().Throw<OptionsValidationException>().Which.Problems;
    }

    [Fact]
    public void Empty_environment_gives_the_pinned_defaults()
    {
        var options = Bind([]);

        options.Should().BeEquivalentTo(new MultiDcOptions());
        options.ClusterNames.Should().Equal("primary", "secondary", "tertiary");
        options.LoadOperatorImage.Should().BeFalse();
        options.WorkDirectory.Should().Be(MultiDcOptions.DefaultWorkDirectory("multidc"));
    }

    [Fact]
    public void Blank_variables_count_as_unset()
    {
        Bind(new() { ["MULTIDC_POOL_SIZE"] = "", ["MULTIDC_SESSION"] = "  ", ["MULTIDC_KEEP"] = null })
            .Should().BeEquivalentTo(new MultiDcOptions());
    }

    [Theory]
    [InlineData(3, new[] { "primary", "secondary", "tertiary" })]
    [InlineData(5, new[] { "primary", "secondary", "tertiary", "dc4", "dc5" })]
    [InlineData(7, new[] { "primary", "secondary", "tertiary", "dc4", "dc5", "dc6", "dc7" })]
    public void Cluster_count_names_clusters_primary_secondary_tertiary_then_dcN(int count, string[] expected)
    {
        BindOne("MULTIDC_CLUSTERS", count.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .ClusterNames.Should().Equal(expected);
    }

    [Fact]
    public void Cluster_names_are_split_on_commas_and_trimmed()
    {
        BindOne("MULTIDC_CLUSTER_NAMES", " east, west ,north,")
            .ClusterNames.Should().Equal("east", "west", "north");
    }

    [Fact]
    public void Each_text_variable_sets_its_property()
    {
        var options = Bind(new()
        {
            ["MULTIDC_SESSION"] = "bug-1234",
            ["MULTIDC_NETWORK"] = "kind",
            ["MULTIDC_NETWORK_SUBNET"] = "172.30.0.0/16",
            ["MULTIDC_KIND_NODE_IMAGE"] = "kindest/node:v1.32.0",
            ["MULTIDC_METALLB_VERSION"] = "v0.16.0",
            ["MULTIDC_OPERATOR_CHART_VERSION"] = "1.23.0",
            ["MULTIDC_BANK_VAULTS_IMAGE"] = "ghcr.io/bank-vaults/bank-vaults:dev",
            ["MULTIDC_VAULT_IMAGE"] = "hashicorp/vault:2.0.0",
            ["MULTIDC_CENTRAL_VAULT_IMAGE"] = "hashicorp/vault:1.20.0",
            ["MULTIDC_NAMESPACE"] = "vault-system",
            ["MULTIDC_WORK_DIR"] = "/tmp/multidc-work",
        });

        options.Session.Should().Be("bug-1234");
        options.NetworkName.Should().Be("kind");
        options.NetworkSubnet.Should().Be("172.30.0.0/16");
        options.KindNodeImage.Should().Be("kindest/node:v1.32.0");
        options.MetalLbVersion.Should().Be("v0.16.0");
        options.OperatorChartVersion.Should().Be("1.23.0");
        options.BankVaultsImage.Should().Be("ghcr.io/bank-vaults/bank-vaults:dev");
        options.VaultImage.Should().Be("hashicorp/vault:2.0.0");
        options.CentralVaultImage.Should().Be("hashicorp/vault:1.20.0");
        options.EffectiveCentralVaultImage.Should().Be("hashicorp/vault:1.20.0");
        options.Namespace.Should().Be("vault-system");
        options.WorkDirectory.Should().Be("/tmp/multidc-work");
    }

    [Fact]
    public void Operator_image_also_asks_for_it_to_be_loaded_into_kind()
    {
        var options = BindOne("MULTIDC_OPERATOR_IMAGE", "vault-operator:local");

        options.OperatorImage.Should().Be("vault-operator:local");
        options.LoadOperatorImage.Should().BeTrue();
        Bind([], new MultiDcOptionsOverrides { OperatorImage = "op:dev" }).LoadOperatorImage.Should().BeTrue();
    }

    [Fact]
    public void Work_directory_defaults_to_one_named_after_the_session()
    {
        BindOne("MULTIDC_SESSION", "repro-7").WorkDirectory.Should().Be(MultiDcOptions.DefaultWorkDirectory("repro-7"));
    }

    [Theory]
    [InlineData("transit", UnsealMode.Transit)]
    [InlineData("kv", UnsealMode.Kv)]
    [InlineData("KV", UnsealMode.Kv)]
    [InlineData(" Transit ", UnsealMode.Transit)]
    public void Unseal_mode_is_read_case_insensitively(string value, UnsealMode expected)
    {
        BindOne("MULTIDC_UNSEAL_MODE", value).UnsealMode.Should().Be(expected);
    }

    [Fact]
    public void Numbers_are_read()
    {
        var options = Bind(new()
        {
            ["MULTIDC_POOL_SIZE"] = "16",
            ["MULTIDC_RAFT_PERFORMANCE_MULTIPLIER"] = "5",
            ["MULTIDC_UP_TIMEOUT_MINUTES"] = "40",
        });

        options.PoolSize.Should().Be(16);
        options.RaftPerformanceMultiplier.Should().Be(5);
        options.UpTimeout.Should().Be(TimeSpan.FromMinutes(40));
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("true", true)]
    [InlineData("YES", true)]
    [InlineData("0", false)]
    [InlineData("False", false)]
    [InlineData("no", false)]
    public void Switches_accept_1_true_yes_and_0_false_no(string value, bool expected)
    {
        var options = Bind(new() { ["MULTIDC_KEEP"] = value, ["MULTIDC_REUSE"] = value });

        options.Keep.Should().Be(expected);
        options.Reuse.Should().Be(expected);
    }

    [Fact]
    public void Overrides_win_over_the_environment()
    {
        var env = new Dictionary<string, string?>
        {
            ["MULTIDC_POOL_SIZE"] = "4",
            ["MULTIDC_SESSION"] = "from-env",
            ["MULTIDC_UNSEAL_MODE"] = "kv",
            ["MULTIDC_KEEP"] = "1",
            ["MULTIDC_UP_TIMEOUT_MINUTES"] = "10",
            ["MULTIDC_CLUSTERS"] = "3",
        };
        var overrides = new MultiDcOptionsOverrides
        {
            PoolSize = 12,
            Session = "from-cli",
            UnsealMode = UnsealMode.Transit,
            Keep = false,
            UpTimeoutMinutes = 60,
            ClusterCount = 5,
        };

        var options = Bind(env, overrides);

        options.PoolSize.Should().Be(12);
        options.Session.Should().Be("from-cli");
        options.WorkDirectory.Should().Be(MultiDcOptions.DefaultWorkDirectory("from-cli"));
        options.UnsealMode.Should().Be(UnsealMode.Transit);
        options.Keep.Should().BeFalse();
        options.UpTimeout.Should().Be(TimeSpan.FromMinutes(60));
        options.ClusterNames.Should().HaveCount(5);
    }

    [Fact]
    public void Null_overrides_leave_the_environment_in_charge()
    {
        Bind(new() { ["MULTIDC_POOL_SIZE"] = "4" }, new MultiDcOptionsOverrides { Session = "x" })
            .PoolSize.Should().Be(4);
    }

    [Fact]
    public void A_cli_count_keeps_environment_names_that_already_have_that_count()
    {
        Bind(new() { ["MULTIDC_CLUSTER_NAMES"] = "a,b,c,d,e" }, new MultiDcOptionsOverrides { ClusterCount = 5 })
            .ClusterNames.Should().Equal("a", "b", "c", "d", "e");
        Bind(new() { ["MULTIDC_CLUSTER_NAMES"] = "a,b,c" }, new MultiDcOptionsOverrides { ClusterCount = 5 })
            .ClusterNames.Should().Equal("primary", "secondary", "tertiary", "dc4", "dc5");
    }

    [Fact]
    public void Cli_names_win_over_environment_names_and_count()
    {
        Bind(
                new() { ["MULTIDC_CLUSTER_NAMES"] = "a,b,c", ["MULTIDC_CLUSTERS"] = "5" },
                new MultiDcOptionsOverrides { ClusterNames = ["x", "y", "z"] })
            .ClusterNames.Should().Equal("x", "y", "z");
    }

    [Fact]
    public void Names_and_a_different_count_in_the_same_layer_conflict()
    {
        Problems(new() { ["MULTIDC_CLUSTER_NAMES"] = "a,b,c", ["MULTIDC_CLUSTERS"] = "5" })
            .Should().ContainSingle().Which.Should()
            .Be("MULTIDC_CLUSTERS='5' conflicts with MULTIDC_CLUSTER_NAMES='a,b,c' (3 names): give only the names, or make the count match");
    }

    [Theory]
    [InlineData("MULTIDC_UNSEAL_MODE", "foo", "MULTIDC_UNSEAL_MODE='foo' is not valid: use transit or kv")]
    [InlineData("MULTIDC_POOL_SIZE", "eight", "MULTIDC_POOL_SIZE='eight' is not valid: expected a whole number (default 8)")]
    [InlineData("MULTIDC_POOL_SIZE", "0", "MULTIDC_POOL_SIZE='0' is not valid: use 1..1024 addresses per cluster and IP family")]
    [InlineData("MULTIDC_POOL_SIZE", "2000", "MULTIDC_POOL_SIZE='2000' is not valid: use 1..1024")]
    [InlineData("MULTIDC_RAFT_PERFORMANCE_MULTIPLIER", "11", "MULTIDC_RAFT_PERFORMANCE_MULTIPLIER='11' is not valid: use 1..10")]
    [InlineData("MULTIDC_KEEP", "maybe", "MULTIDC_KEEP='maybe' is not valid: use 1, true or yes")]
    [InlineData("MULTIDC_REUSE", "2", "MULTIDC_REUSE='2' is not valid")]
    [InlineData("MULTIDC_UP_TIMEOUT_MINUTES", "0", "MULTIDC_UP_TIMEOUT_MINUTES='0' is not valid: use 1..1440 minutes")]
    [InlineData("MULTIDC_CLUSTERS", "4", "MULTIDC_CLUSTERS='4' is not valid: use an odd number of clusters from 3 to 99 (got 4)")]
    [InlineData("MULTIDC_CLUSTERS", "1", "MULTIDC_CLUSTERS='1' is not valid: use an odd number")]
    [InlineData("MULTIDC_CLUSTERS", "-3", "MULTIDC_CLUSTERS='-3' is not valid: use an odd number")]
    [InlineData("MULTIDC_CLUSTERS", "1001", "MULTIDC_CLUSTERS='1001' is not valid: use an odd number")]
    [InlineData("MULTIDC_CLUSTERS", "three", "MULTIDC_CLUSTERS='three' is not valid: expected a whole number")]
    [InlineData("MULTIDC_CLUSTER_NAMES", "a,b,a", "MULTIDC_CLUSTER_NAMES='a,b,a' is not valid: cluster name 'a' appears 2 times")]
    [InlineData("MULTIDC_CLUSTER_NAMES", "a,B,c", "MULTIDC_CLUSTER_NAMES='a,B,c' is not valid: cluster name 'B' is not a DNS-1123 label")]
    [InlineData("MULTIDC_SESSION", "My_Session", "MULTIDC_SESSION='My_Session' is not valid: it must be a DNS-1123 label")]
    [InlineData("MULTIDC_NAMESPACE", "-vault", "MULTIDC_NAMESPACE='-vault' is not valid: it must be a DNS-1123 label: it must start and end")]
    [InlineData("MULTIDC_NETWORK", "my net", "MULTIDC_NETWORK='my net' is not valid: a Docker network name")]
    [InlineData("MULTIDC_NETWORK_SUBNET", "172.30.0.1/16", "MULTIDC_NETWORK_SUBNET='172.30.0.1/16' is not valid: '172.30.0.1/16' has host bits set; the network is 172.30.0.0/16")]
    [InlineData("MULTIDC_VAULT_IMAGE", "hashicorp/vault 1.21", "MULTIDC_VAULT_IMAGE='hashicorp/vault 1.21' is not valid: give an image reference without spaces")]
    public void Bad_environment_values_are_named_in_the_error(string variable, string value, string expectedStart)
    {
        Problems(new() { [variable] = value }).Should().ContainSingle().Which.Should().StartWith(expectedStart);
    }

    [Fact]
    public void Bad_override_values_name_the_cli_option()
    {
        Problems([], new MultiDcOptionsOverrides { PoolSize = 0 })
            .Should().Equal("--pool-size 0 is not valid: use 1..1024 addresses per cluster and IP family");
        Problems([], new MultiDcOptionsOverrides { ClusterNames = ["a", "b"] })
            .Should().ContainSingle().Which.Should().StartWith("--cluster-names a,b is not valid: use an odd number");
        Problems([], new MultiDcOptionsOverrides { Session = "" })
            .Should().ContainSingle().Which.Should().StartWith("--session '' is not valid: it must be a DNS-1123 label: it is empty");
    }

    [Fact]
    public void Every_problem_is_reported_together()
    {
        var env = new Dictionary<string, string?>
        {
            ["MULTIDC_UNSEAL_MODE"] = "foo",
            ["MULTIDC_POOL_SIZE"] = "0",
            ["MULTIDC_CLUSTERS"] = "2",
            ["MULTIDC_KEEP"] = "perhaps",
        };

        var act = () => Bind(env, new MultiDcOptionsOverrides { RaftPerformanceMultiplier = 0 });

        var error = act.Should().Throw<OptionsValidationException>().Which;
        error.Problems.Should().HaveCount(5);
        error.Message.Should().StartWith("5 invalid MultiDcVault settings:")
            .And.Contain("MULTIDC_UNSEAL_MODE='foo'")
            .And.Contain("MULTIDC_POOL_SIZE='0'")
            .And.Contain("MULTIDC_CLUSTERS='2'")
            .And.Contain("MULTIDC_KEEP='perhaps'")
            .And.Contain("--raft-performance-multiplier 0");
    }

    [Fact]
    public void Origins_record_where_each_value_came_from()
    {
        var bound = MultiDcOptionsBinder.BindWithOrigins(
            name => name == "MULTIDC_POOL_SIZE" ? "4" : null,
            new MultiDcOptionsOverrides { Session = "cli" });

        bound.Origins[nameof(MultiDcOptions.PoolSize)].Should().Be(new OptionOrigin(ValueSource.Environment, "MULTIDC_POOL_SIZE", "4"));
        bound.Origins[nameof(MultiDcOptions.Session)].Should().Be(new OptionOrigin(ValueSource.CommandLine, "--session", "cli"));
        bound.Origins.Should().NotContainKey(nameof(MultiDcOptions.VaultImage));
    }

    [Fact]
    public void The_variables_table_lists_every_documented_variable_once_with_a_cli_option_and_default()
    {
        string[] documented =
        [
            "MULTIDC_CLUSTERS", "MULTIDC_CLUSTER_NAMES", "MULTIDC_SESSION", "MULTIDC_NETWORK", "MULTIDC_NETWORK_SUBNET",
            "MULTIDC_KIND_NODE_IMAGE", "MULTIDC_METALLB_VERSION", "MULTIDC_OPERATOR_CHART_VERSION", "MULTIDC_OPERATOR_IMAGE",
            "MULTIDC_BANK_VAULTS_IMAGE", "MULTIDC_VAULT_IMAGE", "MULTIDC_CENTRAL_VAULT_IMAGE", "MULTIDC_UNSEAL_MODE",
            "MULTIDC_POOL_SIZE", "MULTIDC_RAFT_PERFORMANCE_MULTIPLIER", "MULTIDC_NAMESPACE", "MULTIDC_WORK_DIR",
            "MULTIDC_KEEP", "MULTIDC_REUSE", "MULTIDC_UP_TIMEOUT_MINUTES", "MULTIDC_PROVIDER", "MULTIDC_KUBECONFIGS",
            "MULTIDC_KUBECONFIG", "MULTIDC_CONTEXTS", "MULTIDC_SERVICE_ANNOTATIONS", "MULTIDC_CENTRAL_VAULT_ADDRESS",
            "MULTIDC_CENTRAL_VAULT_CA", "MULTIDC_OPERATOR_INSTALLED",
        ];

        MultiDcSettings.Variables.Select(v => v.Name).Should().BeEquivalentTo(documented);
        MultiDcSettings.Variables.Should().OnlyContain(v => v.Description.Length > 0 && v.Default.Length > 0);

        // MULTIDC_KEEP is the fixture's: the CLI always keeps what it brings up, so no command offers --keep.
        MultiDcSettings.Keep.CliOption.Should().BeNull();
        var withOption = MultiDcSettings.Variables.Where(v => v != MultiDcSettings.Keep).ToList();
        withOption.Should().OnlyContain(v => v.CliOption!.StartsWith("--", StringComparison.Ordinal) && v.Commands.Count > 0);
        withOption.SelectMany(v => v.CliAliases.Prepend(v.CliOption!)).Should().OnlyHaveUniqueItems();
        // Internal too: the existing-clusters properties stay internal while only plan serves them.
        MultiDcSettings.All.Should().OnlyContain(v => typeof(MultiDcOptions).GetProperty(v.Property, System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic) != null);
        MultiDcSettings.PoolSize.Default.Should().Be("8");
        MultiDcSettings.ClusterNames.Default.Should().Be("primary,secondary,tertiary");
    }

    [Fact]
    public void Every_variable_in_the_table_is_actually_read_by_the_binder()
    {
        var read = new HashSet<string>();
        MultiDcOptionsBinder.Bind(name =>
        {
            read.Add(name);
            return null;
        });

        read.Should().BeEquivalentTo(MultiDcSettings.Variables.Select(v => v.Variable));
    }
}
