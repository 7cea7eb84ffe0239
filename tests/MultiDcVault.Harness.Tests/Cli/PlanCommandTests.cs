using System.Text.Json;
using FluentAssertions;
using MultiDcVault.Harness.Configuration;
using MultiDcVault.Harness.Planning;
using MultiDcVault.Harness.Tests.Planning.Manifests;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace MultiDcVault.Harness.Tests.Cli;

/// <summary><c>multidc plan</c> end to end: the real executable, real files, real exit codes.</summary>
public sealed class PlanCommandTests : IDisposable
{
    private readonly string _out = Path.Combine(Path.GetTempPath(), "multidc-plan-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_out))
        {
            Directory.Delete(_out, recursive: true);
        }
    }

    [Fact]
    public async Task Plan_writes_plan_json_and_every_manifest_it_lists()
    {
        var result = await MultidcProcess.RunAsync(
            ["plan", "--out", _out, "--subnet", "172.18.0.0/16", "--gateway", "172.18.0.1", "--exclude", "172.18.255.254"],
            null,
            TestContext.Current.CancellationToken);

        result.ExitCode.Should().Be(0, result.StandardError);
        var plan = PlanWriter.Read(await File.ReadAllTextAsync(Path.Combine(_out, "plan.json"), TestContext.Current.CancellationToken));
        plan.Clusters.Select(c => c.Name).Should().Equal("primary", "secondary", "tertiary");
        plan.Clusters.Select(c => c.Role).Should().Equal("leader", "follower", "follower");
        plan.Clusters.SelectMany(c => c.AddressPools).Should().OnlyHaveUniqueItems()
            .And.NotContain(p => p.Contains("172.18.255.254", StringComparison.Ordinal));

        foreach (var cluster in plan.Clusters)
        {
            cluster.Manifests.Should().Contain([$"{cluster.Name}/kind-config.yaml", $"{cluster.Name}/metallb.yaml", $"{cluster.Name}/vault.yaml"]);
            foreach (var manifest in cluster.Manifests)
            {
                var path = Path.Combine(_out, manifest);
                File.Exists(path).Should().BeTrue(path);
                var yaml = new YamlStream();
                yaml.Load(new StringReader(await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken)));
                yaml.Documents.Should().NotBeEmpty(manifest);
            }

            var vault = (Dictionary<string, object?>)YamlObjects.ParseSingle(
                await File.ReadAllTextAsync(Path.Combine(_out, cluster.Name, "vault.yaml"), TestContext.Current.CancellationToken))!;
            ((Dictionary<string, object?>)vault["spec"]!)["statsdDisabled"].Should().Be(true, "else the operator adds prom/statsd-exporter:latest");
            ImageReferences.Find(vault).Should().NotBeEmpty().And.OnlyContain(i => ImageReference.IsPinned(i.Image));

            var metallb = await File.ReadAllTextAsync(Path.Combine(_out, cluster.Name, "metallb.yaml"), TestContext.Current.CancellationToken);
            foreach (var pool in cluster.AddressPools)
            {
                metallb.Should().Contain(pool);
            }
        }

        result.StandardOutput.Should().Contain("primary").And.Contain("plan.json");
    }

    [Fact]
    public async Task Plan_uses_the_names_unseal_mode_and_central_vault_address_given()
    {
        var result = await MultidcProcess.RunAsync(
            ["plan", "--out", _out, "--subnet", "10.77.0.0/20", "--names", "ams,fra,lon,par,waw", "--pool-size", "4",
             "--unseal", "kv", "--central-vault-address", "http://10.77.0.2:8200"],
            null,
            TestContext.Current.CancellationToken);

        result.ExitCode.Should().Be(0, result.StandardError);
        var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_out, "plan.json"), TestContext.Current.CancellationToken));
        json.RootElement.GetProperty("unsealMode").GetString().Should().Be("kv");
        var clusters = json.RootElement.GetProperty("clusters").EnumerateArray().ToList();
        clusters.Select(c => c.GetProperty("name").GetString()).Should().Equal("ams", "fra", "lon", "par", "waw");
        clusters.Select(c => c.GetProperty("role").GetString()).Should().Equal("leader", "follower", "follower", "follower", "follower");

        var follower = await File.ReadAllTextAsync(Path.Combine(_out, "fra", "vault.yaml"), TestContext.Current.CancellationToken);
        follower.Should().Contain("http://10.77.0.2:8200").And.Contain("<leader-lb-ip:unknown>").And.NotContain("transit:");
    }

    [Fact]
    public async Task Plan_reads_MULTIDC_variables_and_options_win_over_them()
    {
        var result = await MultidcProcess.RunAsync(
            ["plan", "--out", _out, "--subnet", "172.30.0.0/24", "--pool-size", "2"],
            new Dictionary<string, string> { ["MULTIDC_POOL_SIZE"] = "50", ["MULTIDC_SESSION"] = "from-env" },
            TestContext.Current.CancellationToken);

        result.ExitCode.Should().Be(0, result.StandardError);
        var plan = PlanWriter.Read(await File.ReadAllTextAsync(Path.Combine(_out, "plan.json"), TestContext.Current.CancellationToken));
        plan.Session.Should().Be("from-env");
        plan.PoolSize.Should().Be(2);
    }

    public static TheoryData<string[], string> BadInputs => new()
    {
        { ["plan", "--out", "OUT", "--subnet", "172.18.0.0/16", "--unseal", "shamir"], "--unseal shamir" },
        { ["plan", "--out", "OUT", "--subnet", "172.18.0.0/16", "--pool-size", "0"], "--pool-size 0" },
        { ["plan", "--out", "OUT", "--subnet", "172.18.0.0/16", "--clusters", "4"], "odd" },
        { ["plan", "--out", "OUT", "--subnet", "172.18.0.0/16", "--names", "a,a,b"], "a" },
        { ["plan", "--out", "OUT", "--subnet", "10.0.0.0/28"], "too small" },
        { ["plan", "--out", "OUT", "--subnet", "172.18.0.1/16"], "172.18.0.0/16" },
        { ["plan", "--out", "OUT", "--subnet", "not-a-cidr"], "--subnet not-a-cidr" },
        { ["plan", "--out", "OUT", "--subnet", "172.18.0.0/16", "--gateway", "10.1.1.1"], "--gateway 10.1.1.1" },
        { ["plan", "--out", "OUT", "--subnet", "172.18.0.0/16", "--central-vault-address", "vault:8200"], "--central-vault-address" },
        { ["plan", "--out", "OUT", "--subnet", "172.18.0.0/16", "--no-such-option"], "--no-such-option" },
        { ["plan", "--subnet", "172.18.0.0/16"], "--out" },
        { ["plan", "--out", "OUT", "--subnet", "fd00:1::/64"], "has no IPv4 subnet" },
        { ["plan", "--out", "OUT", "--subnet", "172.18.0.0/16", "--exclude", "10.0.0.5"], "--exclude 10.0.0.5 is outside every --subnet" },
        { ["plan", "--out", "OUT", "--subnet", "172.18.0.0/16", "--exclude", "10.0.0.0/30"], "--exclude 10.0.0.0/30 is outside every --subnet" },
        { ["plan", "--out", "OUT", "--subnet", "172.18.0.0/16", "--central-vault-address", "http://10.9.9.9:8200"], "is outside the network's subnets" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Bad_input_exits_2_with_one_line_naming_the_problem_and_writes_nothing(string[] arguments, string expected)
    {
        var args = arguments.Select(a => a == "OUT" ? _out : a).ToList();

        var result = await MultidcProcess.RunAsync(args, null, TestContext.Current.CancellationToken);

        result.ExitCode.Should().Be(2);
        result.StandardError.TrimEnd().Split('\n').Should().ContainSingle().Which.Should().Contain(expected);
        Directory.Exists(_out).Should().BeFalse("bad input must not write anything");
    }

    [Fact]
    public async Task An_ipv6_only_subnet_for_the_network_the_harness_creates_is_refused_where_it_is_used_and_ignored_where_it_is_not()
    {
        var home = Directory.CreateTempSubdirectory("multidc-home-").FullName;
        try
        {
            var variables = new Dictionary<string, string> { ["MULTIDC_NETWORK_SUBNET"] = "fd00:1::/64", ["HOME"] = home };

            var doctor = await MultidcProcess.RunAsync(["doctor"], variables, TestContext.Current.CancellationToken);
            var plan = await MultidcProcess.RunAsync(["plan", "--out", _out, "--subnet", "172.18.0.0/16"], variables, TestContext.Current.CancellationToken);

            doctor.ExitCode.Should().Be(2);
            doctor.StandardError.TrimEnd().Split('\n').Should().ContainSingle().Which.Should().Contain("MULTIDC_NETWORK_SUBNET='fd00:1::/64' is not valid: it is IPv6");
            plan.ExitCode.Should().Be(0, "plan does not take MULTIDC_NETWORK_SUBNET, so its value cannot stop it: " + plan.StandardError);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public async Task Bad_environment_variable_is_named_in_the_error()
    {
        var result = await MultidcProcess.RunAsync(
            ["plan", "--out", _out, "--subnet", "172.18.0.0/16"],
            new Dictionary<string, string> { ["MULTIDC_UNSEAL_MODE"] = "shamir" },
            TestContext.Current.CancellationToken);

        result.ExitCode.Should().Be(2);
        result.StandardError.Should().Contain("MULTIDC_UNSEAL_MODE");
        Directory.Exists(_out).Should().BeFalse();
    }

    [Theory]
    [InlineData("--names", "A,B,C", "cluster names 'A', 'B', 'C' are not DNS-1123 labels")]
    [InlineData("--pool-size", "abc", "--pool-size abc is not valid: expected a whole number")]
    [InlineData("--clusters", "x", "--clusters x is not valid: expected a whole number")]
    public async Task A_bad_value_is_one_clause_in_plain_words(string option, string value, string expected)
    {
        var result = await MultidcProcess.RunAsync(["plan", "--out", _out, "--subnet", "172.18.0.0/16", option, value], null, TestContext.Current.CancellationToken);

        result.ExitCode.Should().Be(2);
        var line = result.StandardError.TrimEnd().Split('\n').Should().ContainSingle().Subject;
        line.Should().Contain(expected);
        line.Split("is not valid").Should().HaveCount(2, "the option is named once, not once per bad name");
        line.Should().NotContain("System.", "a .NET type name means nothing to a person");
        Directory.Exists(_out).Should().BeFalse();
    }

    public static TheoryData<string, string> UnusableOutputs => new()
    {
        { "FILE", "is a file, not a directory" },
        { "FILE/sub", "is a file" },
        { "/dev/null", "is a file, not a directory" },
        { "", "--out is empty" },
        { "FOREIGN", "is not empty and holds no plan of multidc's" },
    };

    [Theory]
    [MemberData(nameof(UnusableOutputs))]
    public async Task An_unusable_out_directory_exits_2_with_one_line_and_changes_nothing(string target, string expected)
    {
        Directory.CreateDirectory(_out);
        var file = Path.Combine(_out, "a-file");
        await File.WriteAllTextAsync(file, "mine", TestContext.Current.CancellationToken);
        var foreign = Directory.CreateDirectory(Path.Combine(_out, "foreign")).FullName;
        await File.WriteAllTextAsync(Path.Combine(foreign, "notes.txt"), "mine", TestContext.Current.CancellationToken);
        var before = Snapshot();
        var path = target.Replace("FILE", file, StringComparison.Ordinal).Replace("FOREIGN", foreign, StringComparison.Ordinal);

        var result = await MultidcProcess.RunAsync(["plan", "--subnet", "172.18.0.0/16", "--out", path], null, TestContext.Current.CancellationToken);

        result.ExitCode.Should().Be(2);
        result.StandardError.TrimEnd().Split('\n').Should().ContainSingle().Which.Should().Contain(expected).And.NotContain("   at ");
        Snapshot().Should().Equal(before);
    }

    [Fact]
    public async Task A_plan_over_an_earlier_larger_plan_replaces_it_completely()
    {
        var first = await MultidcProcess.RunAsync(["plan", "--subnet", "172.18.0.0/16", "--clusters", "5", "--out", _out], null, TestContext.Current.CancellationToken);
        first.ExitCode.Should().Be(0, first.StandardError);
        Directory.Exists(Path.Combine(_out, "dc5")).Should().BeTrue();

        var second = await MultidcProcess.RunAsync(["plan", "--subnet", "172.18.0.0/16", "--out", _out], null, TestContext.Current.CancellationToken);

        second.ExitCode.Should().Be(0, second.StandardError);
        Directory.EnumerateFileSystemEntries(_out).Select(Path.GetFileName).Order(StringComparer.Ordinal)
            .Should().Equal(".multidc-plan", "plan.json", "primary", "secondary", "tertiary");
    }

    private List<string> Snapshot() =>
        [.. Directory.EnumerateFileSystemEntries(_out, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];
}
