using FluentAssertions;
using MultiDcVault.Harness.Configuration;
using MultiDcVault.Harness.Infrastructure.Secrets;
using MultiDcVault.Harness.Planning.Manifests;
using MultiDcVault.Harness.Planning;
using Xunit;
using static MultiDcVault.Harness.Tests.Planning.Manifests.ManifestTestData;

namespace MultiDcVault.Harness.Tests.Planning.Manifests;

public sealed class ManifestRendererTests
{
    private readonly ManifestRenderer _renderer = new();

    public static TheoryData<UnsealMode, int> EveryModeAndCluster() => new()
    {
        { UnsealMode.Transit, 0 }, { UnsealMode.Transit, 1 }, { UnsealMode.Kv, 0 }, { UnsealMode.Kv, 2 },
    };

    [Theory]
    [MemberData(nameof(EveryModeAndCluster))]
    public void Every_rendered_manifest_is_parseable_yaml_with_the_expected_file_names(UnsealMode mode, int index)
    {
        var plan = Plan(mode);

        var manifests = _renderer.RenderCluster(plan, plan.Clusters[index], KnownValues());

        manifests.Select(m => m.FileName).Should().Equal(
            ManifestFileNames.KindConfig, ManifestFileNames.MetalLb, ManifestFileNames.OperatorValues,
            ManifestFileNames.Rbac, ManifestFileNames.Vault);
        foreach (var manifest in manifests)
        {
            var documents = YamlObjects.ParseAll(manifest.Content);
            documents.Should().NotBeEmpty(manifest.FileName);
            documents.Should().AllBeOfType<Dictionary<string, object?>>(manifest.FileName);
        }

        YamlObjects.ParseAll(manifests.Single(m => m.FileName == ManifestFileNames.MetalLb).Content).Should().HaveCount(2);
        YamlObjects.ParseAll(manifests.Single(m => m.FileName == ManifestFileNames.Rbac).Content)
            .Cast<Dictionary<string, object?>>().Select(d => d["kind"])
            .Should().Equal("Namespace", "ServiceAccount", "Role", "RoleBinding");
    }

    [Fact]
    public void Leader_bootstraps_raft_itself_and_mounts_no_leader_ca()
    {
        var plan = Plan();

        var spec = VaultCr(plan, plan.Leader, KnownValues()).Spec();

        spec["raftLeaderAddress"].Should().Be("self");
        spec.Should().NotContainKeys("volumes", "bankVaultsVolumeMounts", "envsConfig");
    }

    [Fact]
    public void Followers_join_the_leader_ip_trusting_only_the_leaders_ca_secret()
    {
        var plan = Plan(UnsealMode.Transit, "alpha", "beta", "gamma");

        foreach (var follower in plan.Followers)
        {
            var spec = VaultCr(plan, follower, KnownValues()).Spec();

            spec["raftLeaderAddress"].Should().Be(LeaderIp);
            var volume = (Dictionary<string, object?>)spec.List("volumes").Should().ContainSingle().Subject!;
            var secret = volume.Map("secret");
            secret["secretName"].Should().Be("vault-alpha-raft-ca", "the harness's CA-only Secret, not the leader's TLS Secret");
            secret.List("items").Cast<Dictionary<string, object?>>().Select(i => (i["key"], i["path"]))
                .Should().Equal([("ca.crt", "ca.crt")], "only the CA is projected into the pod");
            var mount = (Dictionary<string, object?>)spec.List("bankVaultsVolumeMounts").Should().ContainSingle().Subject!;
            mount["name"].Should().Be(volume["name"]);
            mount["mountPath"].Should().Be(VaultConventions.RaftCaMountPath);
            mount["readOnly"].Should().Be(true);
            var env = (Dictionary<string, object?>)spec.List("envsConfig").Should().ContainSingle().Subject!;
            env["name"].Should().Be("VAULT_RAFT_CACERT");
            env["value"].Should().Be(VaultConventions.RaftCaCertFile);
            spec.Should().NotContainKey("vaultEnvsConfig", "the Vault container never reads the CA file: bank-vaults sends its content in the join request");
        }

        plan.Leader.Identity.RaftCaSecretName.Should().Be("vault-alpha-raft-ca");
        plan.Leader.Identity.TlsSecretName.Should().Be("vault-alpha-tls");
    }

    // hashicorp/vault physical/raft/raft.go applyConfigSettings multiplies ElectionTimeout, HeartbeatTimeout and
    // LeaderLeaseTimeout by performance_multiplier (5 when unset); hashicorp/raft v1.7.3 config.go DefaultConfig sets
    // them to 1000 ms, 1000 ms and 500 ms. The harness renders 5 explicitly (see MultiDcOptions.RaftPerformanceMultiplier):
    // a 2.5 s lease instead of 0.5 s, so a busy CI runner does not elect a new leader in the middle of a non-failover test.
    [Fact]
    public void By_default_every_vault_cr_carries_performance_multiplier_5()
    {
        var plan = Plan() with { Options = Plan().Options with { RaftPerformanceMultiplier = new MultiDcVault.Harness.Configuration.MultiDcOptions().RaftPerformanceMultiplier } };

        plan.Options.RaftPerformanceMultiplier.Should().Be(5);
        foreach (var cluster in plan.Clusters)
        {
            VaultCr(plan, cluster, KnownValues()).Config().Map("storage").Map("raft")["performance_multiplier"].Should().Be(5L);
        }
    }

    [Fact]
    public void No_rendered_vault_cr_names_the_leaders_tls_secret()
    {
        var plan = Plan(UnsealMode.Transit, "alpha", "beta", "gamma");

        foreach (var cluster in plan.Clusters)
        {
            _renderer.RenderVault(plan, cluster, KnownValues()).Content.Should().NotContain(plan.Leader.Identity.TlsSecretName);
        }
    }

    [Fact]
    public void Every_vault_cr_disables_the_statsd_sidecar()
    {
        foreach (var mode in new[] { UnsealMode.Transit, UnsealMode.Kv })
        {
            var plan = Plan(mode);
            foreach (var cluster in plan.Clusters)
            {
                var spec = VaultCr(plan, cluster, KnownValues()).Spec();

                spec["statsdDisabled"].Should().Be(true, "the operator otherwise adds prom/statsd-exporter:latest");
                spec.Should().NotContainKey("statsdImage");
            }
        }
    }

    [Fact]
    public void Raft_ca_secret_carries_the_leaders_ca_certificate_and_nothing_else()
    {
        var plan = Plan(UnsealMode.Transit, "alpha", "beta");
        const string Ca = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIRAK\n-----END CERTIFICATE-----\n";

        var manifest = _renderer.RenderRaftCaSecret(plan, Ca);

        manifest.FileName.Should().Be(ManifestFileNames.RaftCaSecret);
        var secret = (Dictionary<string, object?>)YamlObjects.ParseSingle(manifest.Content)!;
        secret["apiVersion"].Should().Be("v1");
        secret["kind"].Should().Be("Secret");
        secret["type"].Should().Be("Opaque");
        var metadata = secret.Map("metadata");
        metadata["name"].Should().Be("vault-alpha-raft-ca");
        metadata["namespace"].Should().Be(plan.Options.Namespace);
        metadata.Map("labels").Should().Equal(new Dictionary<string, object?> { [VaultConventions.ManagedByLabel] = VaultConventions.ManagedByValue });
        var data = secret.Map("data");
        data.Keys.Should().Equal("ca.crt");
        System.Text.Encoding.UTF8.GetString(Convert.FromBase64String((string)data["ca.crt"]!)).Should().Be(Ca);
        secret.Keys.Should().BeEquivalentTo("apiVersion", "kind", "metadata", "type", "data");
    }

    [Theory]
    [InlineData("-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----\n")]
    [InlineData("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n")]
    [InlineData("not a certificate")]
    public void Raft_ca_secret_refuses_key_material_or_non_certificates_without_echoing_them(string pem)
    {
        var act = () => _renderer.RenderRaftCaSecret(Plan(), pem);

        act.Should().Throw<ArgumentException>().Which.Message.Should().Contain("refusing").And.NotContain("MHcCAQEE").And.NotContain("MIIE");
    }

    [Fact]
    public void Each_cluster_is_its_own_raft_node_on_persistent_storage_with_the_planned_multiplier()
    {
        var plan = Plan() with { Options = Plan().Options with { RaftPerformanceMultiplier = 3 } };

        foreach (var cluster in plan.Clusters)
        {
            var cr = VaultCr(plan, cluster, KnownValues());
            cr.Map("metadata")["name"].Should().Be(cluster.Identity.VaultName);
            var raft = cr.Config().Map("storage").Map("raft");
            raft["node_id"].Should().Be(cluster.Name);
            raft["path"].Should().Be("/vault/file");
            raft["performance_multiplier"].Should().Be(3L, "Vault needs a number, not a quoted string");
            cr.Config()["disable_mlock"].Should().Be(true);
            var tcp = cr.Config().Map("listener").Map("tcp");
            tcp["tls_cert_file"].Should().Be("/vault/tls/server.crt");
            tcp["tls_key_file"].Should().Be("/vault/tls/server.key");
            cr.Spec()["size"].Should().Be(1L);
            cr.Spec()["serviceType"].Should().Be("LoadBalancer");
            cr.Spec()["serviceAccount"].Should().Be(VaultConventions.ServiceAccountName);
            cr.Spec()["image"].Should().Be(plan.Options.VaultImage);
            cr.Spec()["bankVaultsImage"].Should().Be(plan.Options.BankVaultsImage);
            var mount = (Dictionary<string, object?>)cr.Spec().List("volumeMounts").Single()!;
            mount["mountPath"].Should().Be("/vault/file");
            var claim = (Dictionary<string, object?>)cr.Spec().List("volumeClaimTemplates").Single()!;
            claim.Map("metadata")["name"].Should().Be(mount["name"]);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Transit_mode_auto_unseals_through_the_central_vault(int index)
    {
        var plan = Plan(UnsealMode.Transit);
        var values = KnownValues() with { TransitKeyName = "dc-unseal", TransitMountPath = "kms/" };

        var transit = VaultCr(plan, plan.Clusters[index], values).Config().Map("seal").Map("transit");

        transit["address"].Should().Be(CentralAddress);
        transit["token"].Should().Be(Token);
        transit["key_name"].Should().Be("dc-unseal");
        transit["mount_path"].Should().Be("kms/");
    }

    [Fact]
    public void Kv_mode_has_no_seal_stanza_so_bank_vaults_uses_shamir_keys()
    {
        var plan = Plan(UnsealMode.Kv);

        foreach (var cluster in plan.Clusters)
        {
            VaultCr(plan, cluster, KnownValues()).Config().Should().NotContainKey("seal");
        }
    }

    [Theory]
    [InlineData(UnsealMode.Transit)]
    [InlineData(UnsealMode.Kv)]
    public void Unseal_keys_go_to_the_central_vault_kv_in_both_modes(UnsealMode mode)
    {
        var plan = Plan(mode);

        foreach (var cluster in plan.Clusters)
        {
            var vault = VaultCr(plan, cluster, KnownValues() with { UnsealKeysPath = "secret/data/run-42" }).Spec().Map("unsealConfig").Map("vault");
            vault["address"].Should().Be(CentralAddress);
            vault["token"].Should().Be(Token);
            vault["unsealKeysPath"].Should().Be("secret/data/run-42");
        }
    }

    [Fact]
    public void Default_unseal_keys_path_is_the_kv_v2_data_path_bank_vaults_writes_to()
    {
        var plan = Plan();

        var vault = VaultCr(plan, plan.Leader, KnownValues()).Spec().Map("unsealConfig").Map("vault");

        vault["unsealKeysPath"].Should().Be("secret/data/vault-unseal-keys");
    }

    [Fact]
    public void Unknown_runtime_values_render_as_visible_placeholders()
    {
        var plan = Plan(UnsealMode.Transit);

        var follower = VaultCr(plan, Follower(plan), RuntimeValues.Placeholders);

        follower.Spec()["raftLeaderAddress"].Should().Be("<leader-lb-ip:unknown>");
        follower.Spec().Map("unsealConfig").Map("vault")["address"].Should().Be("<central-vault-address:unknown>");
        follower.Spec().Map("unsealConfig").Map("vault")["token"].Should().Be("<central-vault-token:unknown>");
        follower.Config().Map("seal").Map("transit")["address"].Should().Be("<central-vault-address:unknown>");
        follower.Config().Map("seal").Map("transit")["token"].Should().Be("<central-vault-token:unknown>");
    }

    [Fact]
    public void The_token_is_in_the_vault_cr_content_but_never_in_any_ToString()
    {
        var plan = Plan(UnsealMode.Transit);
        var values = KnownValues();

        var manifests = _renderer.RenderCluster(plan, Follower(plan), values);

        manifests.Single(m => m.FileName == ManifestFileNames.Vault).Content.Should().Contain(Token);
        manifests.Where(m => m.FileName != ManifestFileNames.Vault).Should().OnlyContain(m => !m.Content.Contains(Token));
        foreach (var manifest in manifests)
        {
            manifest.ToString().Should().NotContain(Token).And.Contain(manifest.FileName);
            $"{manifest}".Should().NotContain(Token);
        }

        values.ToString().Should().NotContain(Token);
    }

    [Fact]
    public void Kind_config_names_the_cluster_and_pins_the_node_image_on_one_control_plane()
    {
        var plan = Plan() with { Options = Plan().Options with { KindNodeImage = "kindest/node:v1.32.5@sha256:abc123" } };
        var cluster = plan.Clusters[1];

        var config = (Dictionary<string, object?>)YamlObjects.ParseSingle(_renderer.RenderKindConfig(plan, cluster).Content)!;

        config["kind"].Should().Be("Cluster");
        config["apiVersion"].Should().Be("kind.x-k8s.io/v1alpha4");
        config["name"].Should().Be(cluster.Name);
        var node = (Dictionary<string, object?>)config.List("nodes").Should().ContainSingle().Subject!;
        node["role"].Should().Be("control-plane");
        node["image"].Should().Be("kindest/node:v1.32.5@sha256:abc123");
        node.Should().NotContainKey("extraPortMappings");
    }

    [Fact]
    public void MetalLb_pool_holds_exactly_the_planned_addresses_and_is_advertised()
    {
        var plan = Plan();

        foreach (var cluster in plan.Clusters)
        {
            var docs = YamlObjects.ParseAll(_renderer.RenderMetalLb(plan, cluster).Content).Cast<Dictionary<string, object?>>().ToList();

            var pool = docs.Single(d => Equals(d["kind"], "IPAddressPool"));
            pool.Map("metadata")["namespace"].Should().Be("metallb-system");
            pool.Map("metadata")["name"].Should().Be(cluster.Identity.MetalLbPoolName);
            pool.Spec().List("addresses").Should().Equal(cluster.AddressPools);
            var advertisement = docs.Single(d => Equals(d["kind"], "L2Advertisement"));
            advertisement.Map("metadata")["namespace"].Should().Be("metallb-system");
            advertisement.Spec().List("ipAddressPools").Should().Equal(cluster.Identity.MetalLbPoolName);
        }
    }

    [Fact]
    public void Rbac_gives_the_vault_service_account_the_role_upstream_applies()
    {
        var plan = Plan() with { Options = Plan().Options with { Namespace = "vault-dc" } };

        var docs = YamlObjects.ParseAll(_renderer.RenderRbac(plan).Content).Cast<Dictionary<string, object?>>().ToList();

        docs.Single(d => Equals(d["kind"], "Namespace")).Map("metadata")["name"].Should().Be("vault-dc");
        docs.Where(d => !Equals(d["kind"], "Namespace")).Should().OnlyContain(d => Equals(d.Map("metadata")["namespace"], "vault-dc"));
        docs.Single(d => Equals(d["kind"], "ServiceAccount")).Map("metadata")["name"].Should().Be("vault");
        var rules = docs.Single(d => Equals(d["kind"], "Role")).List("rules").Cast<Dictionary<string, object?>>().ToList();
        rules.Should().Contain(r => r.List("resources").Contains("secrets") && r.List("verbs").Contains("*"));
        rules.Should().Contain(r => r.List("resources").Contains("pods") && r.List("verbs").Contains("patch"));
        var binding = docs.Single(d => Equals(d["kind"], "RoleBinding"));
        binding.Map("roleRef")["name"].Should().Be("vault");
        var subject = (Dictionary<string, object?>)binding.List("subjects").Single()!;
        subject["name"].Should().Be("vault");
        subject["namespace"].Should().Be("vault-dc");
    }

    /// <summary>
    /// bank-vaults/vault-operator v1.24.0 deploy/charts/vault-operator/templates/deployment.yaml joins
    /// "{{ .Values.image.repository }}:{{ image.tag | default .Chart.AppVersion }}" and sets
    /// imagePullPolicy from image.pullPolicy (values.yaml default IfNotPresent). Up always loads the
    /// image into the nodes, so the values say Never: a node never pulls it.
    /// </summary>
    [Theory]
    [InlineData("ghcr.io/bank-vaults/vault-operator:v1.24.0", false, "ghcr.io/bank-vaults/vault-operator", "v1.24.0")]
    [InlineData("localhost:5000/vault-operator:dev", true, "localhost:5000/vault-operator", "dev")]
    [InlineData("ghcr.io/bank-vaults/vault-operator:v1.24.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", false,
        "ghcr.io/bank-vaults/vault-operator", "v1.24.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void Operator_values_split_the_image_the_way_the_chart_joins_it_and_never_pull(string image, bool load, string repository, string tag)
    {
        var plan = Plan() with { Options = Plan().Options with { OperatorImage = image, LoadOperatorImage = load } };

        var values = (Dictionary<string, object?>)YamlObjects.ParseSingle(_renderer.RenderOperatorValues(plan).Content)!;

        values.Map("image")["repository"].Should().Be(repository);
        values.Map("image")["tag"].Should().Be(tag);
        $"{values.Map("image")["repository"]}:{values.Map("image")["tag"]}".Should().Be(image);
        values.Map("image")["pullPolicy"].Should().Be("Never");
    }

    [Theory]
    [InlineData("localhost:5000/vault-operator")]
    [InlineData("ghcr.io/bank-vaults/vault-operator:latest")]
    public void An_unpinned_operator_image_never_renders_as_latest(string image)
    {
        var plan = Plan() with { Options = Plan().Options with { OperatorImage = image, LoadOperatorImage = true } };

        FluentActions.Invoking(() => _renderer.RenderOperatorValues(plan))
            .Should().Throw<ArgumentException>().WithMessage($"Image '{image}' is not pinned: *");
    }

    [Fact]
    public void Values_with_yaml_syntax_in_them_round_trip_exactly()
    {
        const string nasty = "hvs.\"quoted\": #not-a-comment\n- {{vaultName}} & *anchor 'x' \\ end";
        var plan = Plan();

        var cr = VaultCr(plan, plan.Leader, KnownValues() with { CentralVaultToken = new SecretValue(nasty), UnsealKeysPath = "yes" });

        cr.Spec().Map("unsealConfig").Map("vault")["token"].Should().Be(nasty);
        cr.Config().Map("seal").Map("transit")["token"].Should().Be(nasty);
        cr.Spec().Map("unsealConfig").Map("vault")["unsealKeysPath"].Should().Be("yes", "a YAML 1.1 boolean word must stay a string");
    }

    [Fact]
    public void A_cluster_from_another_plan_is_rejected_with_the_plans_cluster_names()
    {
        var plan = Plan();
        var stranger = new ClusterPlan("elsewhere", ClusterRole.Follower, 5, ["10.0.0.1-10.0.0.2"]);

        var act = () => _renderer.RenderCluster(plan, stranger, KnownValues());

        act.Should().Throw<ArgumentException>().WithMessage("*'elsewhere'*primary, secondary, tertiary*");
    }

    [Theory]
    [InlineData("172.18.0.2:8200")]
    [InlineData("172.18.0.2")]
    [InlineData("ftp://172.18.0.2")]
    public void A_central_vault_address_that_is_not_a_url_is_rejected(string address)
    {
        var plan = Plan();

        var act = () => _renderer.RenderVault(plan, plan.Leader, KnownValues() with { CentralVaultAddress = address });

        act.Should().Throw<ArgumentException>().WithMessage("*http://172.18.0.2:8200*");
    }

    [Fact]
    public void An_ipv6_leader_address_is_rejected_because_the_operator_cannot_bracket_it()
    {
        var plan = Plan();

        var act = () => _renderer.RenderVault(plan, Follower(plan), KnownValues() with { LeaderLoadBalancerIp = "fc00::5" });

        act.Should().Throw<ArgumentException>().WithMessage("*IPv6*");
    }

    [Fact]
    public void A_cluster_without_address_pools_cannot_get_a_metallb_pool()
    {
        var plan = Plan();
        var empty = plan with { Clusters = [plan.Leader with { AddressPools = [] }, .. plan.Followers] };

        var act = () => _renderer.RenderMetalLb(empty, empty.Leader);

        act.Should().Throw<ArgumentException>().WithMessage("*primary*no usable MetalLB address pools*");
    }
}
