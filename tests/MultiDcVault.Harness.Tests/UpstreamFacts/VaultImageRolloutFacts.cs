using FluentAssertions;
using MultiDcVault.Harness.Components.Vault;
using MultiDcVault.Harness.Configuration;
using MultiDcVault.Harness.Infrastructure.Secrets;
using MultiDcVault.Harness.Infrastructure.Vault;
using MultiDcVault.Harness.Tests.Planning.Manifests;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;
using static MultiDcVault.Harness.Tests.Planning.Manifests.ManifestTestData;

namespace MultiDcVault.Harness.Tests.UpstreamFacts;

/// <summary>
/// What the rolling upgrade relies on. bank-vaults/vault-operator v1.24.0 pkg/controller/vault/vault_controller.go:
/// add() watches Vault CRs only (l. 107); Reconcile rebuilds the StatefulSet on every change and updates it through
/// createOrUpdateObject (l. 459-471); statefulSetForVault gives v.Spec.GetVaultImage() (pkg/apis/vault/v1alpha1/
/// vault_types.go l. 485: spec.image, "hashicorp/vault:latest" when empty) to the container named "vault"
/// (l. 1209-1212), merges spec.vaultContainerSpec over Containers[0] with mergo.WithOverride (l. 1382), and sets
/// updateStrategy RollingUpdate with partition 0 (l. 1400-1405) and podManagementPolicy OrderedReady for Raft
/// (l. 1386-1389). The operator's only Delete is of a deprecated ConfigMap (l. 2236), its RBAC marker grants pods
/// get;update;patch only (l. 118), and it creates no PodDisruptionBudget for Vault (the chart's templates/pdb.yaml
/// covers the operator's own Deployment, and only with replicaCount > 1). So the StatefulSet controller replaces the
/// pod; kubernetes/enhancements keps/sig-apps/3541-add-enforcedRollingUpdate-to-statefulset-update-strategies
/// ("Current RollingUpdate Algorithm"): it does so only while the pod is Running and Ready, and never replaces a new
/// pod that does not become Ready. The StatefulSet controller deletes pods directly (no eviction), so a PDB would not
/// stop it anyway.
/// hashicorp/vault: GET sys/storage/raft/autopilot/state reports each server's "version" (physical/raft/raft_autopilot.go
/// AutopilotServer.Version `json:"version"`, read at d08e783; present since the 1.11 autopilot work, e.g. the API
/// docs' sample answer from 1.17.3): the leader's is effectiveSDKVersion = version.GetVersion().Version
/// (physical/raft/raft.go), a follower's the one its echo heartbeats carry, else the leader's persisted copy
/// (determineFollowerVersions). sys/health's "version" is version.GetVersion().VersionNumber() (http/sys_health.go),
/// which appends "-prerelease" and "+metadata" (version/version.go): so the upgrade is checked on autopilot's.
/// </summary>
public sealed class VaultImageRolloutFacts
{
    // statefulSetForVault: Image: v.Spec.GetVaultImage() on the container named "vault"; then
    // mergo.Merge(&podSpec.Containers[0], v.Spec.VaultContainerSpec, mergo.WithOverride): an image in our
    // vaultContainerSpec would win over spec.image and the patch would change nothing.
    [Fact]
    public void Spec_image_is_the_one_field_that_sets_the_vault_containers_image()
    {
        var plan = Plan();
        foreach (var cluster in plan.Clusters)
        {
            var spec = VaultCr(plan, cluster, KnownValues()).Spec();

            spec["image"].Should().Be(plan.Options.VaultImage);
            var container = spec.Map("vaultContainerSpec");
            container["name"].Should().Be(VaultImageRollout.VaultContainer);
            container.Should().NotContainKey("image", "vaultContainerSpec is merged over the vault container WithOverride");
            spec.Should().NotContainKey("vaultPodSpec", "its containers are merged by name over the operator's");
            spec.Should().NotContainKey("vaultContainers");
        }

        VaultImageRollout.ImagePatch("hashicorp/vault:2.1.2").ToJsonString().Should().Be("""{"spec":{"image":"hashicorp/vault:2.1.2"}}""");
    }

    // The CRD (schemas/vault.banzaicloud.com_vaults.yaml, v1.24.0 deploy/crd/bases) types spec.image as a string:
    // the CR after the merge patch is still one the API server accepts.
    [Fact]
    public void The_patched_cr_is_valid_against_the_operators_crd()
    {
        var schemas = SharedDirectory.Schemas();
        Assert.SkipWhen(schemas is null, SharedDirectory.MissingSchemasReason);
        var validator = CrdSchemaValidator.LoadFile(Path.Combine(schemas!, "vault.banzaicloud.com_vaults.yaml"));
        var plan = Plan();
        var cr = VaultCr(plan, Follower(plan), KnownValues());

        cr.Spec()["image"] = SupportedVaultVersions.Images[^1];
        validator.Validate(cr).Should().BeEmpty();
        cr.Spec()["image"] = 2;
        validator.Validate(cr).Should().ContainSingle().Which.Should().StartWith("$.spec.image: expected string");
    }

    // The StatefulSet controller recreates pod-0 with the same name and binds it to the same PersistentVolumeClaim
    // (volumeClaimTemplates: <template>-<pod>), so the upgraded node keeps its Raft data only because the Raft path is
    // on the claim template's volume, not on the pod's emptyDir.
    [Fact]
    public void The_raft_data_lives_on_the_claim_the_recreated_pod_gets_back()
    {
        var plan = Plan();
        var spec = VaultCr(plan, plan.Leader, KnownValues()).Spec();

        var claim = (Dictionary<string, object?>)spec.List("volumeClaimTemplates").Single()!;
        var mount = (Dictionary<string, object?>)spec.List("volumeMounts").Single()!;
        mount["name"].Should().Be(claim.Map("metadata")["name"]);
        mount["mountPath"].Should().Be(spec.Map("config").Map("storage").Map("raft")["path"]);
    }

    // A mixed-version cluster mid-upgrade, shaped as raft_autopilot.go marshals AutopilotState/AutopilotServer.
    [Fact]
    public async Task Autopilot_reports_each_servers_version_and_the_check_reads_it()
    {
        const string MidUpgrade = """
            {"request_id":"3f1e","lease_id":"","renewable":false,"lease_duration":0,
             "data":{"healthy":true,"failure_tolerance":1,"leader":"primary","voters":["primary","secondary","tertiary"],
              "servers":{
               "primary":{"id":"primary","name":"primary","address":"172.18.255.200:8201","node_status":"alive","last_contact":"0s",
                 "last_term":4,"last_index":210,"healthy":true,"stable_since":"2026-12-02T17:00:00Z","status":"leader","version":"2.0.4","node_type":"voter"},
               "secondary":{"id":"secondary","name":"secondary","address":"172.18.255.208:8201","node_status":"alive","last_contact":"412ms",
                 "last_term":4,"last_index":210,"healthy":true,"stable_since":"2026-12-02T17:04:10Z","status":"voter","version":"2.1.2","node_type":"voter"},
               "tertiary":{"id":"tertiary","name":"tertiary","address":"172.18.255.216:8201","node_status":"alive","last_contact":"388ms",
                 "last_term":4,"last_index":210,"healthy":true,"stable_since":"2026-12-02T17:06:30Z","status":"voter","version":"2.1.2","node_type":"voter"}}},
             "wrap_info":null,"warnings":null,"auth":null}
            """;
        await using var server = FakeVaultServer.Start(_ => FakeResponse.Json(200, MidUpgrade));
        using var client = new VaultClient(new VaultClientOptions { Address = server.BaseAddress, Token = new SecretValue("facts-token") });

        var state = await client.GetAutopilotStateAsync(TestContext.Current.CancellationToken);

        state!.Servers["secondary"].Version.Should().Be("2.1.2");
        UpgradeProgressCheck.NodeRejoined(state, "tertiary", SupportedVaultVersions.VersionTextOf("hashicorp/vault:2.1.2")).Should().BeEmpty();
        UpgradeProgressCheck.AllUpgraded(state, ["primary", "secondary", "tertiary"], "2.1.2").Should().Equal("primary reports version 2.0.4, not 2.1.2");
        UpgradeOrder.Remaining(["primary", "secondary", "tertiary"], state, ["secondary", "tertiary"]).Should().Equal("primary");
    }

    // http/sys_health.go: Version = version.GetVersion().VersionNumber(): "2.1.2" on a community build; VaultHealth
    // maps it as sent. It is the node's own answer, the cross-check of autopilot's view of that node.
    [Fact]
    public async Task Sys_health_reports_the_nodes_own_version()
    {
        const string Standby = """
            {"initialized":true,"sealed":false,"standby":true,"performance_standby":false,"replication_performance_mode":"disabled",
             "replication_dr_mode":"disabled","server_time_utc":1796230000,"version":"2.1.2","enterprise":false,
             "cluster_name":"vault-cluster-5f1e","cluster_id":"0c7e","echo_duration_ms":1,"clock_skew_ms":0,"removed_from_cluster":false,"ha_connection_healthy":true}
            """;
        await using var server = FakeVaultServer.Start(_ => FakeResponse.Json(429, Standby));
        using var client = new VaultClient(new VaultClientOptions { Address = server.BaseAddress });

        var health = await client.GetHealthAsync(TestContext.Current.CancellationToken);

        health.Version.Should().Be(SupportedVaultVersions.VersionTextOf("hashicorp/vault:2.1.2"));
    }
}
