using FluentAssertions;
using MultiDcVault.Harness.Planning.Manifests;
using Xunit;
using static MultiDcVault.Harness.Tests.Planning.Manifests.ManifestTestData;

namespace MultiDcVault.Harness.Tests.Planning.Manifests;

/// <summary>What an existing-clusters plan renders per datacenter, beside the kind plan's manifests.</summary>
public sealed class ExistingManifestRendererTests
{
    private readonly ManifestRenderer _renderer = new();

    [Fact]
    public void A_follower_joins_the_leader_lb_hostname_and_only_datacenters_with_annotations_carry_them()
    {
        var plan = ExistingPlan();
        var values = ExistingKnownValues();

        var crs = plan.Clusters.ToDictionary(c => c.Name, c => (Dictionary<string, object?>)YamlObjects.ParseSingle(
            _renderer.RenderCluster(plan, c, values).Single(m => m.FileName == ManifestFileNames.Vault).Content)!);

        crs["eu-central-1"].Spec()["raftLeaderAddress"].Should().Be("self");
        crs["eu-west-1"].Spec()["raftLeaderAddress"].Should().Be(values.LeaderLoadBalancerIp, "a cloud LB's hostname is a valid raftLeaderAddress");
        crs["eu-west-1"].Spec().Map("vaultAnnotations").Should().BeEquivalentTo(new Dictionary<string, object?>
        {
            ["service.beta.kubernetes.io/aws-load-balancer-scheme"] = "internal",
            ["service.beta.kubernetes.io/aws-load-balancer-type"] = "nlb",
        });
        crs["eu-north-1"].Spec().Should().NotContainKey("vaultAnnotations");
        crs.Values.Should().OnlyContain(cr => Equals(cr.Map("metadata")["namespace"], "multidc-lab"));
    }

    [Theory]
    [InlineData(false, new[] { ManifestFileNames.OperatorValues, ManifestFileNames.Rbac, ManifestFileNames.Vault })]
    [InlineData(true, new[] { ManifestFileNames.Rbac, ManifestFileNames.Vault })]
    public void Existing_clusters_get_no_kind_config_or_metallb_and_no_operator_values_when_one_is_installed(bool operatorInstalled, string[] expected)
    {
        var plan = ExistingPlan(operatorInstalled: operatorInstalled);

        foreach (var cluster in plan.Clusters)
        {
            _renderer.RenderCluster(plan, cluster, RuntimeValues.Placeholders).Select(m => m.FileName).Should().Equal(expected);
        }
    }

    [Fact]
    public void The_kind_plan_keeps_its_manifests_and_its_ip_placeholder()
    {
        var plan = Plan();

        _renderer.RenderCluster(plan, Follower(plan), RuntimeValues.Placeholders).Select(m => m.FileName).Should().Equal(
            ManifestFileNames.KindConfig, ManifestFileNames.MetalLb, ManifestFileNames.OperatorValues, ManifestFileNames.Rbac, ManifestFileNames.Vault);
        VaultCr(plan, Follower(plan), RuntimeValues.Placeholders).Spec()["raftLeaderAddress"].Should().Be(RuntimeValues.UnknownLeaderLoadBalancerIp);
    }
}
