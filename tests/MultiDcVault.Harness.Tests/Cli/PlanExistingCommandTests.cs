using System.Text.Json;
using FluentAssertions;
using MultiDcVault.Harness.Planning;
using MultiDcVault.Harness.Tests.Planning.Manifests;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Cli;

/// <summary>
/// <c>multidc plan --provider existing</c> through the real executable: what it renders for clusters that already exist,
/// that it asks no Docker engine and no cluster anything, and every refusal (exit 2, one line, nothing written).
/// </summary>
public sealed class PlanExistingCommandTests : IDisposable
{
    private const string Kms = "http://kms.example.internal:8200";
    private static readonly string[] Regions = ["eu-central-1", "eu-west-1", "eu-north-1"];

    private readonly ExistingClusterFiles _files = new();
    private readonly string _out;

    public PlanExistingCommandTests() => _out = Path.Combine(_files.Directory, "plan-out");

    public void Dispose() => _files.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Plan_renders_the_vault_crs_with_each_datacenters_annotations_and_no_kind_or_metallb_without_docker_or_clusters()
    {
        var kubeconfigs = _files.Kubeconfigs(Regions);
        var annotations = _files.File("annotations.yaml", """
            all:
              service.beta.kubernetes.io/aws-load-balancer-scheme: internal
              service.beta.kubernetes.io/aws-load-balancer-type: nlb
            datacenters:
              eu-west-1:
                service.beta.kubernetes.io/aws-load-balancer-scheme: internet-facing
                example.com/owner: "42"
            """);
        var home = Directory.CreateDirectory(Path.Combine(_files.Directory, "home", ".kube")).Parent!.FullName;
        var userKubeconfig = _files.File("home/.kube/config", "this: is: not a kubeconfig\n");
        var token = TestTokens.Named("ExistingCentralVaultTokenForPlan");

        var result = await MultidcProcess.RunAsync(
            ["plan", "--out", _out, "--provider", "existing", "--kubeconfigs", kubeconfigs, "--central-vault-address", Kms,
             "--service-annotations", annotations],
            new Dictionary<string, string>
            {
                // Nothing answers here: a plan that asked Docker or a cluster would fail or hang.
                ["DOCKER_HOST"] = "unix:///nonexistent/docker.sock",
                ["HOME"] = home,
                ["KUBECONFIG"] = userKubeconfig,
                ["MULTIDC_SESSION"] = "lab",
                ["MULTIDC_CENTRAL_VAULT_TOKEN"] = token,
            },
            Ct);

        result.ExitCode.Should().Be(0, result.StandardError);
        var planJson = await File.ReadAllTextAsync(Path.Combine(_out, "plan.json"), Ct);
        var plan = PlanWriter.Read(planJson);
        plan.Provider.Should().Be("existing");
        plan.Namespace.Should().Be("multidc-lab", "existing clusters get a namespace of the session's own unless MULTIDC_NAMESPACE is set");
        plan.Network.Should().BeNull();
        plan.PoolSize.Should().BeNull();
        plan.Images.KindNode.Should().BeNull();
        plan.Images.MetalLbVersion.Should().BeNull();
        plan.CentralVaultAddress.Should().Be(Kms);
        plan.Clusters.Select(c => c.Name).Should().Equal(Regions);
        plan.Clusters.Select(c => c.Role).Should().Equal("leader", "follower", "follower");
        plan.Clusters.Select(c => c.KubeContext).Should().Equal(Regions);
        plan.Clusters.Select(c => c.Kubeconfig).Should().Equal(kubeconfigs.Split(','));
        plan.Clusters.Should().OnlyContain(c => c.AddressPools.Count == 0);
        using (var json = JsonDocument.Parse(planJson))
        {
            json.RootElement.TryGetProperty("network", out _).Should().BeFalse();
        }

        foreach (var cluster in plan.Clusters)
        {
            cluster.Manifests.Should().Equal($"{cluster.Name}/operator-values.yaml", $"{cluster.Name}/rbac.yaml", $"{cluster.Name}/vault.yaml");
            Directory.EnumerateFiles(Path.Combine(_out, cluster.Name)).Select(Path.GetFileName).Order(StringComparer.Ordinal)
                .Should().Equal("operator-values.yaml", "rbac.yaml", "vault.yaml");

            var vault = (Dictionary<string, object?>)YamlObjects.ParseSingle(await File.ReadAllTextAsync(Path.Combine(_out, cluster.Name, "vault.yaml"), Ct))!;
            vault.Map("metadata")["namespace"].Should().Be("multidc-lab");
            vault.Spec()["serviceType"].Should().Be("LoadBalancer");
            vault.Spec()["raftLeaderAddress"].Should().Be(cluster.Role == "leader" ? "self" : "<leader-lb-address:unknown>");
            vault.Config().Map("seal").Map("transit")["address"].Should().Be(Kms);
            vault.Spec().Map("unsealConfig").Map("vault")["token"].Should().Be("<central-vault-token:unknown>");

            var expected = cluster.Name == "eu-west-1"
                ? new Dictionary<string, object?>
                {
                    ["example.com/owner"] = "42",
                    ["service.beta.kubernetes.io/aws-load-balancer-scheme"] = "internet-facing",
                    ["service.beta.kubernetes.io/aws-load-balancer-type"] = "nlb",
                }
                : new Dictionary<string, object?>
                {
                    ["service.beta.kubernetes.io/aws-load-balancer-scheme"] = "internal",
                    ["service.beta.kubernetes.io/aws-load-balancer-type"] = "nlb",
                };
            vault.Spec().Map("vaultAnnotations").Should().BeEquivalentTo(expected);
            cluster.ServiceAnnotations.Should().BeEquivalentTo(expected.ToDictionary(p => p.Key, p => (string)p.Value!));

            var operatorValues = (Dictionary<string, object?>)YamlObjects.ParseSingle(await File.ReadAllTextAsync(Path.Combine(_out, cluster.Name, "operator-values.yaml"), Ct))!;
            operatorValues.Map("image")["pullPolicy"].Should().Be("IfNotPresent", "nothing loads the image into an existing cluster's nodes");
        }

        var everything = string.Join('\n', Directory.EnumerateFiles(_out, "*", SearchOption.AllDirectories).Select(File.ReadAllText))
            + result.StandardOutput + result.StandardError;
        everything.Should().NotContain(token, "the central Vault's token is never printed or planned")
            .And.NotContain("kind.x-k8s.io").And.NotContain("metallb.io");
        (await File.ReadAllTextAsync(userKubeconfig, Ct)).Should().Be("this: is: not a kubeconfig\n", "~/.kube/config and KUBECONFIG are never read or written");
        result.StandardOutput.Should().Contain("eu-central-1").And.Contain("plan.json");
    }

    [Fact]
    public async Task One_kubeconfig_with_contexts_names_given_namespace_from_the_environment_and_an_installed_operator()
    {
        var kubeconfig = _files.Kubeconfig("all.yaml", "ctx-b", "ctx-a", "ctx-b", "ctx-c");
        var ca = _files.File("kms-ca.pem", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");

        var result = await MultidcProcess.RunAsync(
            ["plan", "--out", _out, "--provider", "existing", "--kubeconfig", kubeconfig, "--contexts", "ctx-c,ctx-a,ctx-b",
             "--cluster-names", "ams,fra,lon", "--operator-installed", "--central-vault-address", "https://kms.example.internal:8200",
             "--central-vault-ca", ca],
            new Dictionary<string, string> { ["MULTIDC_NAMESPACE"] = "team-vault", ["DOCKER_HOST"] = "unix:///nonexistent/docker.sock" },
            Ct);

        result.ExitCode.Should().Be(0, result.StandardError);
        var plan = PlanWriter.Read(await File.ReadAllTextAsync(Path.Combine(_out, "plan.json"), Ct));
        plan.Namespace.Should().Be("team-vault");
        plan.OperatorInstalled.Should().BeTrue();
        plan.Clusters.Select(c => c.Name).Should().Equal("ams", "fra", "lon");
        plan.Clusters.Select(c => c.KubeContext).Should().Equal("ctx-c", "ctx-a", "ctx-b");
        plan.Clusters.Should().OnlyContain(c => c.Kubeconfig == kubeconfig);
        foreach (var cluster in plan.Clusters)
        {
            cluster.Manifests.Should().Equal($"{cluster.Name}/rbac.yaml", $"{cluster.Name}/vault.yaml");
            var vault = (Dictionary<string, object?>)YamlObjects.ParseSingle(await File.ReadAllTextAsync(Path.Combine(_out, cluster.Name, "vault.yaml"), Ct))!;
            vault.Spec().Should().NotContainKey("vaultAnnotations");
        }
    }

    public static TheoryData<string[], string> Refusals => new()
    {
        { ["--central-vault-address", Kms], "--provider existing needs --kubeconfigs" },
        { ["--kubeconfigs", "{K3}", "--kubeconfig", "{ONE}", "--contexts", "a,b,c", "--central-vault-address", Kms], "not both" },
        { ["--kubeconfig", "{ONE}", "--central-vault-address", Kms], "--kubeconfig and --contexts go together" },
        { ["--kubeconfigs", "{DIR}/gone-a.yaml,{DIR}/gone-b.yaml,{K1}", "--central-vault-address", Kms], "do not exist" },
        { ["--kubeconfigs", "{K1},{K2}", "--central-vault-address", Kms], "use an odd number of clusters" },
        { ["--kubeconfigs", "{ARN}", "--central-vault-address", Kms], "is not a DNS-1123 label" },
        { ["--kubeconfigs", "{SAME}", "--central-vault-address", Kms], "names more than one datacenter" },
        { ["--kubeconfigs", "{NOCURRENT}", "--central-vault-address", Kms], "has no current-context" },
        { ["--kubeconfigs", "{GARBAGE}", "--central-vault-address", Kms], "is not a readable kubeconfig" },
        { ["--kubeconfig", "{ONE}", "--contexts", "a,b,z", "--central-vault-address", Kms], "context 'z' is not in" },
        { ["--kubeconfigs", "{K3}", "--cluster-names", "x,y", "--central-vault-address", Kms], "2 names for 3 datacenters" },
        { ["--kubeconfigs", "{K3}", "--clusters", "3", "--central-vault-address", Kms], "decide how many datacenters" },
        { ["--kubeconfigs", "{K3}", "--network", "kind", "--central-vault-address", Kms], "--network kind is not valid: it is for --provider kind" },
        { ["--kubeconfigs", "{K3}", "--pool-size", "4", "--central-vault-address", Kms], "--pool-size 4 is not valid: it is for --provider kind" },
        { ["--kubeconfigs", "{K3}", "--metallb-version", "v0.16.1", "--central-vault-address", Kms], "--metallb-version v0.16.1 is not valid: it is for --provider kind" },
        { ["--kubeconfigs", "{K3}", "--kind-node-image", "kindest/node:v1.36.1", "--central-vault-address", Kms], "--kind-node-image kindest/node:v1.36.1 is not valid: it is for --provider kind" },
        { ["--kubeconfigs", "{K3}", "--central-vault-image", "hashicorp/vault:2.0.4", "--central-vault-address", Kms], "--central-vault-image hashicorp/vault:2.0.4 is not valid: it is for --provider kind" },
        { ["--kubeconfigs", "{K3}", "--subnet", "10.0.0.0/16", "--central-vault-address", Kms], "--subnet is for --provider kind" },
        { ["--kubeconfigs", "{K3}"], "--provider existing needs --central-vault-address" },
        { ["--kubeconfigs", "{K3}", "--central-vault-address", "kms:8200"], "--central-vault-address kms:8200 is not valid: use an http(s) URL" },
        { ["--kubeconfigs", "{K3}", "--central-vault-address", "https://kms:8200"], "an https central Vault needs --central-vault-ca" },
        { ["--kubeconfigs", "{K3}", "--central-vault-address", "https://kms:8200", "--central-vault-ca", "{DIR}/gone.pem"], "gone.pem' does not exist" },
        { ["--kubeconfigs", "{K3}", "--central-vault-address", "https://kms:8200", "--central-vault-ca", "{KEY}"], "is not a PEM certificate" },
        { ["--kubeconfigs", "{K3}", "--central-vault-address", Kms, "--central-vault-ca", "{KEY}"], "is not https" },
        { ["--kubeconfigs", "{K3}", "--central-vault-address", Kms, "--service-annotations", "{DIR}/gone.yaml"], "gone.yaml' does not exist" },
        { ["--kubeconfigs", "{K3}", "--central-vault-address", Kms, "--service-annotations", "{ANN_UNKNOWN_DC}"], "datacenter 'mars-1' is not one of" },
        { ["--kubeconfigs", "{K3}", "--central-vault-address", Kms, "--service-annotations", "{ANN_BAD_KEY}"], "is not a Kubernetes annotation name" },
        { ["--kubeconfigs", "{K3}", "--central-vault-address", Kms, "--service-annotations", "{ANN_NOT_STRING}"], "must have a string value" },
        { ["--kubeconfigs", "{K3}", "--central-vault-address", Kms, "--service-annotations", "{ANN_SECTION}"], "'services' is not a section" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_refusal_exits_2_with_one_line_and_writes_nothing(string[] arguments, string expected)
    {
        string[] args = ["plan", "--out", _out, "--provider", "existing", .. arguments.Select(Expand)];

        var result = await MultidcProcess.RunAsync(args, new Dictionary<string, string> { ["DOCKER_HOST"] = "unix:///nonexistent/docker.sock" }, Ct);

        result.ExitCode.Should().Be(2, result.StandardOutput);
        result.StandardError.TrimEnd().Split('\n').Should().ContainSingle().Which.Should().Contain(expected).And.StartWith("multidc plan: ");
        Directory.Exists(_out).Should().BeFalse("a refusal writes nothing");
    }

    [Fact]
    public async Task An_unknown_provider_is_refused()
    {
        var result = await MultidcProcess.RunAsync(["plan", "--out", _out, "--provider", "aws"], null, Ct);

        result.ExitCode.Should().Be(2);
        result.StandardError.TrimEnd().Split('\n').Should().ContainSingle().Which.Should().Contain("--provider aws is not valid: use kind or existing");
        Directory.Exists(_out).Should().BeFalse();
    }

    [Fact]
    public async Task Every_problem_the_binder_finds_is_on_the_one_line()
    {
        var result = await MultidcProcess.RunAsync(
            ["plan", "--out", _out, "--provider", "existing", "--kubeconfigs", Expand("{K3}"), "--network", "kind", "--pool-size", "4"],
            null,
            Ct);

        result.ExitCode.Should().Be(2);
        var line = result.StandardError.TrimEnd().Split('\n').Should().ContainSingle().Subject;
        line.Should().Contain("--network kind").And.Contain("--pool-size 4").And.Contain("needs --central-vault-address");
        Directory.Exists(_out).Should().BeFalse();
    }

    [Theory]
    [InlineData("--kubeconfigs", "{K3}")]
    [InlineData("--operator-installed", null)]
    [InlineData("--central-vault-ca", "{KEY}")]
    [InlineData("--service-annotations", "{ANN_UNKNOWN_DC}")]
    public async Task An_existing_clusters_setting_is_refused_with_kind(string option, string? value)
    {
        string[] args = ["plan", "--out", _out, "--subnet", "172.18.0.0/16", option, .. value is null ? Array.Empty<string>() : [Expand(value)]];

        var result = await MultidcProcess.RunAsync(args, null, Ct);

        result.ExitCode.Should().Be(2);
        result.StandardError.TrimEnd().Split('\n').Should().ContainSingle().Which.Should().Contain($"{option}").And.Contain("is for --provider existing, and the provider is kind");
        Directory.Exists(_out).Should().BeFalse();
    }

    /// <summary>Placeholders in the cases become files made for this test (TheoryData cannot hold per-test paths).</summary>
    private string Expand(string argument)
    {
        var text = argument.Replace("{DIR}", _files.Directory, StringComparison.Ordinal);
        return text.Contains('{', StringComparison.Ordinal) ? string.Join(',', text.Split(',').Select(Make)) : text;
    }

    private string Make(string token) => token switch
    {
        "{K3}" => _files.Kubeconfigs(Regions),
        "{K1}" => _files.Kubeconfigs("k-one"),
        "{K2}" => _files.Kubeconfigs("k-two"),
        "{ONE}" => _files.Kubeconfig("one.yaml", "a", "a", "b", "c"),
        "{ARN}" => _files.Kubeconfigs("arn:aws:eks:eu-central-1:000000000000:cluster/vault", "eu-west-1", "eu-north-1"),
        "{SAME}" => string.Join(',', Enumerable.Range(1, 3).Select(i => _files.Kubeconfig($"same-{i}.yaml", "admin", "admin"))),
        "{NOCURRENT}" => string.Join(',', _files.Kubeconfig("nocurrent.yaml", null, "a"), _files.Kubeconfigs("b", "c")),
        "{GARBAGE}" => string.Join(',', _files.File("garbage.yaml", "clusters: [unclosed\n"), _files.Kubeconfigs("b", "c")),
        "{KEY}" => _files.File("key.pem", "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n"),
        "{ANN_UNKNOWN_DC}" => _files.File("ann-dc.yaml", "datacenters:\n  mars-1:\n    a.example.com/x: y\n"),
        "{ANN_BAD_KEY}" => _files.File("ann-key.yaml", "all:\n  \"Bad Key!\": y\n"),
        "{ANN_NOT_STRING}" => _files.File("ann-value.yaml", "all:\n  a.example.com/x:\n    nested: map\n"),
        "{ANN_SECTION}" => _files.File("ann-section.yaml", "services:\n  a.example.com/x: y\n"),
        _ => token,
    };
}
