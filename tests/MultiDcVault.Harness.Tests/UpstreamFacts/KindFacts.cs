using MultiDcVault.Harness.Clusters.Docker;
using FluentAssertions;
using MultiDcVault.Harness.Clusters.Kind;
using MultiDcVault.Harness.Planning.Manifests;
using MultiDcVault.Harness.Tests.Planning.Manifests;
using Xunit;
using static MultiDcVault.Harness.Tests.Planning.Manifests.ManifestTestData;

namespace MultiDcVault.Harness.Tests.UpstreamFacts;

/// <summary>
/// kubernetes-sigs/kind v0.31.0, re-read at the pinned v0.32.0 (same values): pkg/cluster/internal/providers/docker/constants.go (node container labels),
/// network.go and provider.go (network "kind", KIND_EXPERIMENTAL_DOCKER_NETWORK), pkg/cluster/internal/providers/common/namer.go
/// (nodes "&lt;cluster&gt;-&lt;role&gt;"), pkg/apis/config/v1alpha4 (config kind Cluster, apiVersion kind.x-k8s.io/v1alpha4).
/// </summary>
public sealed class KindFacts
{
    // constants.go: clusterLabelKey = "io.x-k8s.kind.cluster" (nodeRoleLabelKey "io.x-k8s.kind.role" is not relied on).
    [Fact]
    public void Node_containers_are_found_by_kinds_cluster_label()
    {
        DockerEnvironment.KindClusterLabel.Should().Be("io.x-k8s.kind.cluster");
        KindClusterProvider.ClusterLabel.Should().Be(DockerEnvironment.KindClusterLabel, "down --all finds leftover clusters by it");
    }

    // network.go fixedNetworkName = "kind"; provider.go reads KIND_EXPERIMENTAL_DOCKER_NETWORK to override it.
    [Fact]
    public void The_shared_network_is_chosen_the_way_kind_reads_it()
    {
        KindCli.DefaultNetwork.Should().Be("kind");
        KindCli.NetworkVariable.Should().Be("KIND_EXPERIMENTAL_DOCKER_NETWORK");
    }

    // v1alpha4 types: kind Cluster, apiVersion kind.x-k8s.io/v1alpha4, nodes[].role "control-plane"; namer.go names
    // the first node "<cluster>-control-plane", which is what fault injection and the validator's length check assume.
    [Fact]
    public void The_rendered_cluster_config_is_a_v1alpha4_single_control_plane()
    {
        var plan = Plan();

        foreach (var cluster in plan.Clusters)
        {
            var config = (Dictionary<string, object?>)YamlObjects.ParseSingle(new ManifestRenderer().RenderKindConfig(plan, cluster).Content)!;

            config["kind"].Should().Be("Cluster");
            config["apiVersion"].Should().Be("kind.x-k8s.io/v1alpha4");
            config["name"].Should().Be(cluster.Name);
            config.List("nodes").Cast<Dictionary<string, object?>>().Select(n => n["role"]).Should().Equal("control-plane");
        }
    }
}
