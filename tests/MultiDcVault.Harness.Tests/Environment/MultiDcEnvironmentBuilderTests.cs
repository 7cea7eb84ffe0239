using FluentAssertions;
using MultiDcVault.Harness.Configuration;
using MultiDcVault.Harness.Environment;
using Xunit;

namespace MultiDcVault.Harness.Tests.Environment;

public sealed class MultiDcEnvironmentBuilderTests
{
    private static Func<string, string?> Variables(params (string Name, string Value)[] values) =>
        name => values.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void A_new_builder_gives_the_pinned_defaults_and_reads_no_variable()
    {
        var options = new MultiDcEnvironmentBuilder().BuildOptions();

        options.Should().BeEquivalentTo(new MultiDcOptions());
    }

    [Fact]
    public void Each_with_call_sets_its_setting_and_leaves_the_builder_it_was_called_on_unchanged()
    {
        var start = new MultiDcEnvironmentBuilder();
        var configured = start
            .WithClusters("eu", "us", "ap")
            .WithSession("mine")
            .WithNetwork("mynet", "172.30.0.0/16")
            .WithVaultImage("hashicorp/vault:1.20.4")
            .WithUnsealMode(UnsealMode.Kv)
            .WithNamespace("vault")
            .WithRaftPerformanceMultiplier(2)
            .WithKeep()
            .WithUpTimeout(TimeSpan.FromMinutes(30));

        var options = configured.BuildOptions();

        options.ClusterNames.Should().Equal("eu", "us", "ap");
        options.Session.Should().Be("mine");
        options.NetworkName.Should().Be("mynet");
        options.NetworkSubnet.Should().Be("172.30.0.0/16");
        options.VaultImage.Should().Be("hashicorp/vault:1.20.4");
        options.UnsealMode.Should().Be(UnsealMode.Kv);
        options.Namespace.Should().Be("vault");
        options.RaftPerformanceMultiplier.Should().Be(2);
        options.Keep.Should().BeTrue();
        options.UpTimeout.Should().Be(TimeSpan.FromMinutes(30));
        options.WorkDirectory.Should().Be(MultiDcOptions.DefaultWorkDirectory("mine"), "the work directory follows the session unless set");
        start.BuildOptions().Should().BeEquivalentTo(new MultiDcOptions());
    }

    [Fact]
    public void An_overridden_operator_image_is_loaded_into_the_clusters()
    {
        var options = new MultiDcEnvironmentBuilder().WithOperatorImage("local/vault-operator:dev").BuildOptions();

        options.OperatorImage.Should().Be("local/vault-operator:dev");
        options.LoadOperatorImage.Should().BeTrue();
    }

    [Fact]
    public void Variables_are_read_only_when_asked_for_and_a_value_set_in_code_wins_over_them()
    {
        var variables = Variables(("MULTIDC_SESSION", "from-env"), ("MULTIDC_NAMESPACE", "env-ns"));

        new MultiDcEnvironmentBuilder().BuildOptions().Session.Should().Be("multidc");

        var options = new MultiDcEnvironmentBuilder().WithSettingsFrom(variables).WithNamespace("code-ns").BuildOptions();
        options.Session.Should().Be("from-env");
        options.Namespace.Should().Be("code-ns");
    }

    [Fact]
    public void Build_reports_every_invalid_setting_at_once_naming_where_each_came_from()
    {
        var builder = new MultiDcEnvironmentBuilder()
            .WithSettingsFrom(Variables(("MULTIDC_POOL_SIZE", "0")))
            .WithClusters("eu", "us")
            .WithRaftPerformanceMultiplier(11);

        var build = () => builder.Build();

        var problems = build.Should().Throw<OptionsValidationException>().Which.Problems;
        problems.Should().HaveCount(3);
        problems.Should().Contain(p => p.Contains("MULTIDC_POOL_SIZE", StringComparison.Ordinal));
        problems.Should().Contain(p => p.Contains("odd", StringComparison.OrdinalIgnoreCase));
        problems.Should().Contain(p => p.Contains("11", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Build_contacts_nothing_and_the_environment_carries_the_built_options()
    {
        await using var environment = new MultiDcEnvironmentBuilder()
            .WithClusters("eu", "us", "ap")
            .WithToolDirectory(Path.Combine(Path.GetTempPath(), "no-such-tools-" + Guid.NewGuid().ToString("N")))
            .Build();

        environment.Options.ClusterNames.Should().Equal("eu", "us", "ap");
    }
}
