using FluentAssertions;
using MultiDcVault.Harness.Infrastructure.Kubernetes;
using MultiDcVault.Harness.Planning.Manifests;
using MultiDcVault.Harness.Planning;
using MultiDcVault.Harness.Tests.Planning.Manifests;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;
using static MultiDcVault.Harness.Tests.Planning.Manifests.ManifestTestData;

namespace MultiDcVault.Harness.Tests.UpstreamFacts;

/// <summary>
/// What bank-vaults/vault-operator v1.24.0 does with the Vault CR the harness renders. Sources:
/// pkg/apis/vault/v1alpha1/vault_types.go (the CR's fields and defaults) and
/// pkg/controller/vault/vault_controller.go (the objects it builds from them), plus its CRD in /work/shared/schemas.
/// </summary>
public sealed class VaultOperatorFacts
{
    private const string VaultCrd = "vault.banzaicloud.com_vaults.yaml";

    private readonly ManifestRenderer _renderer = new();

    // vault_types.go: StatsDDisabled `json:"statsdDisabled"`; GetStatsDImage defaults to "prom/statsd-exporter:latest".
    // vault_controller.go withStatsDContainer adds the "prometheus-exporter" container unless IsStatsDDisabled().
    [Fact]
    public void Statsd_sidecar_is_switched_off_by_a_boolean_field_the_crd_knows()
    {
        var validator = LoadCrd();
        var plan = Plan();

        foreach (var cluster in plan.Clusters)
        {
            var cr = VaultCr(plan, cluster, KnownValues());
            cr.Spec()["statsdDisabled"].Should().Be(true);
            validator.Validate(cr).Should().BeEmpty();

            cr.Spec()["statsdDisabled"] = "true";
            validator.Validate(cr).Should().ContainSingle().Which.Should().StartWith("$.spec.statsdDisabled: expected boolean");
        }
    }

    // vault_controller.go statefulSetForVault: the vault container is named "vault"; its ReadinessProbe is
    // /v1/sys/health?standbyok=true&perfstandbyok=true&drsecondarycode=299 and its LivenessProbe /v1/sys/health?standbyok=true,
    // both on the port named GetAPIPortName() ("api-port") with scheme HTTPS (getVaultURIScheme, TLS on); the user's
    // spec.vaultContainerSpec is merged over that container with mergo.WithOverride. serviceForVault sets
    // PublishNotReadyAddresses only for raft bootstrap followers, and withClusterAddr makes the LB IP the Raft address,
    // so a NotReady bootstrap pod is unreachable for Raft. hashicorp/vault 1.19.0 (CHANGELOG, GH-28991; http/sys_health.go)
    // answers 474 to a standby whose heartbeats to the active node fail unless haunhealthycode is given: without it a
    // partitioned Vault is restarted by liveness and loses its address through readiness.
    [Fact]
    public void Probes_accept_a_standby_that_has_not_reached_the_active_node_yet()
    {
        var validator = LoadCrd();
        var plan = Plan();

        foreach (var cluster in plan.Clusters)
        {
            var cr = VaultCr(plan, cluster, KnownValues());
            var container = cr.Spec().Map("vaultContainerSpec");
            container["name"].Should().Be("vault");
            var readiness = container.Map("readinessProbe").Map("httpGet");
            readiness["path"].Should().Be("/v1/sys/health?standbyok=true&perfstandbyok=true&drsecondarycode=299&haunhealthycode=299");
            readiness["port"].Should().Be("api-port");
            readiness["scheme"].Should().Be("HTTPS");
            container.Map("livenessProbe").Map("httpGet")["path"].Should().Be("/v1/sys/health?standbyok=true&haunhealthycode=299");
            validator.Validate(cr).Should().BeEmpty();
        }
    }

    // vault_controller.go statefulSetForVault: the bank-vaults container gets withBanksVaultsVolumeMounts
    // (spec.bankVaultsVolumeMounts) and withCommonEnv (spec.envsConfig); the vault container gets spec.volumeMounts
    // and spec.vaultEnvsConfig. Only the sidecar joins Raft (see BankVaultsFacts), so only it gets the CA.
    [Fact]
    public void The_leaders_ca_reaches_the_bank_vaults_container_and_not_the_vault_container()
    {
        var plan = Plan();
        var spec = VaultCr(plan, Follower(plan), KnownValues()).Spec();

        var caVolume = (Dictionary<string, object?>)spec.List("volumes").Single()!;
        caVolume.Map("secret")["secretName"].Should().Be(plan.Leader.Identity.RaftCaSecretName);
        spec.List("bankVaultsVolumeMounts").Cast<Dictionary<string, object?>>().Select(m => m["name"]).Should().Equal(caVolume["name"]);
        spec.List("envsConfig").Cast<Dictionary<string, object?>>().Select(e => e["name"]).Should().Equal("VAULT_RAFT_CACERT");
        spec.List("volumeMounts").Cast<Dictionary<string, object?>>().Select(m => m["name"]).Should().NotContain(caVolume["name"]);
        spec.Should().NotContainKey("vaultEnvsConfig");
    }

    // vault_types.go IsRaftBootstrapFollower: RaftLeaderAddress != "" && != "self". vault_controller.go statefulSetForVault
    // passes "--raft-leader-address " + scheme + "://" + raftLeaderAddress + ":8200" (and "--raft-secondary" to followers),
    // so the field must be a bare host: no scheme, no port, and an IPv6 literal would lack its brackets.
    [Fact]
    public void Raft_leader_address_is_self_for_the_leader_and_a_bare_ipv4_for_followers()
    {
        var plan = Plan();

        VaultCr(plan, plan.Leader, KnownValues()).Spec()["raftLeaderAddress"].Should().Be("self");
        foreach (var follower in plan.Followers)
        {
            var address = (string)VaultCr(plan, follower, KnownValues()).Spec()["raftLeaderAddress"]!;
            address.Should().Be(LeaderIp).And.NotContain(":").And.NotContain("/");
        }

        var ipv6 = () => _renderer.RenderVault(plan, Follower(plan), KnownValues() with { LeaderLoadBalancerIp = "fc00:f853:ccd:e793::5" });
        ipv6.Should().Throw<ArgumentException>().WithMessage("*IPv6*");
    }

    // vault_controller.go serviceForVault and statefulSetForVault name both objects v.Name (the CR's name);
    // a StatefulSet's pods are "<statefulset>-<ordinal>" and the CR has size 1, so the only pod is "<name>-0".
    [Fact]
    public void Service_statefulset_and_pod_are_named_after_the_cr()
    {
        var plan = Plan();

        foreach (var cluster in plan.Clusters)
        {
            var name = VaultCr(plan, cluster, KnownValues()).Map("metadata")["name"];
            cluster.Identity.ServiceName.Should().Be((string)name!);
            cluster.Identity.PodName.Should().Be($"{name}-0");
            VaultCr(plan, cluster, KnownValues()).Spec()["size"].Should().Be(1L);
        }
    }

    // vault_controller.go populateTLSSecret: Secret v.Name + "-tls" with ca.crt, ca.key, server.crt, server.key;
    // withTLSVolume/withTLSVolumeMount mount it at /vault/tls in the vault container.
    [Fact]
    public void Tls_secret_name_keys_and_mount_path_match_the_operator()
    {
        var plan = Plan();

        foreach (var cluster in plan.Clusters)
        {
            cluster.Identity.TlsSecretName.Should().Be($"{cluster.Identity.VaultName}-tls");
            var tcp = VaultCr(plan, cluster, KnownValues()).Config().Map("listener").Map("tcp");
            tcp["tls_cert_file"].Should().Be($"/vault/tls/{VaultConventions.ServerCertificateKey}");
            tcp["tls_key_file"].Should().Be("/vault/tls/server.key");
        }

        VaultConventions.CaCertificateKey.Should().Be("ca.crt");
        VaultConventions.ServerCertificateKey.Should().Be("server.crt");
        plan.Leader.Identity.RaftCaSecretName.Should().NotBe(plan.Leader.Identity.TlsSecretName, "the operator owns <name>-tls");
    }

    // vault_controller.go Reconcile: status.nodes = pod names, status.leader = the active pod,
    // status.conditions = [{type: Healthy, status: True|False}] (corev1.ComponentHealthy).
    [Fact]
    public void Cr_status_is_read_as_the_operator_writes_it()
    {
        const string Status = """
            {"metadata":{"name":"vault-primary","namespace":"default"},
             "status":{"nodes":["vault-primary-0"],"leader":"vault-primary-0","conditions":[{"type":"Healthy","status":"True"}]}}
            """;

        var resource = VaultResource.From(System.Text.Json.Nodes.JsonNode.Parse(Status)!.AsObject());

        resource.Status!.Nodes.Should().Equal("vault-primary-0");
        resource.Status.Leader.Should().Be("vault-primary-0");
        resource.Status.IsHealthy.Should().BeTrue();
        (resource.Status with { Conditions = [new("Healthy", "False")] }).IsHealthy.Should().BeFalse();
    }

    private static CrdSchemaValidator LoadCrd()
    {
        var schemas = SharedDirectory.Schemas();
        Assert.SkipWhen(schemas is null, SharedDirectory.MissingSchemasReason);
        return CrdSchemaValidator.LoadFile(Path.Combine(schemas!, VaultCrd));
    }
}
