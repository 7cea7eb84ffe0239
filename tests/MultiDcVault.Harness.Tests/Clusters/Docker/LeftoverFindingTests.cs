using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using MultiDcVault.Harness.Clusters.Docker;
using MultiDcVault.Harness.Clusters.Kind;
using MultiDcVault.Harness.Infrastructure.Docker;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Clusters.Docker;

/// <summary>down --all's finding against a real engine: labelled containers, and unlabelled ones on a labelled network (kind's nodes).</summary>
[Trait("Category", "Docker")]
public sealed class LeftoverFindingTests
{
    [Fact]
    public async Task Kind_nodes_are_found_by_the_session_label_or_a_labelled_network_never_by_kinds_label_alone()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var session = await DockerTestSession.StartAsync(ct);
        var network = await session.CreateNetworkAsync("net", dualStack: false, ct);
        var labelledCluster = session.Name("labelled");
        var attachedCluster = session.Name("attached");
        var foreignCluster = session.Name("foreign");
        var labelled = await session.RunSleeperAsync("labelled-node", ct, spec => spec with
        {
            Labels = new Dictionary<string, string>(session.Labels()) { [KindClusterProvider.ClusterLabel] = labelledCluster },
        });
        await session.Docker.Containers.PauseAsync(labelled, ct);

        // Not labelled by the harness (kind cannot label its nodes), so the session's sweep does not remove these two.
        var attached = await session.RunSleeperAsync("attached-node", ct, spec => spec with
        {
            Labels = new Dictionary<string, string> { [KindClusterProvider.ClusterLabel] = attachedCluster },
            Network = network.Name,
        });
        var foreign = await session.RunSleeperAsync("foreign-node", ct, spec => spec with
        {
            Labels = new Dictionary<string, string> { [KindClusterProvider.ClusterLabel] = foreignCluster },
        });
        try
        {
            using var connection = new DockerConnection();
            var docker = new DockerEnvironment(connection);
            var provider = new KindClusterProvider(
                new KindCli(new ScriptedProcessRunner()), docker, new ScriptedProcessRunner(), Path.GetTempPath(), "kindest/node:unused", TimeSpan.FromMinutes(1), NullLoggerFactory.Instance);

            var containers = await docker.FindAnySessionContainersAsync(ct);
            var leftovers = (await provider.FindLeftoverClustersAsync(ct)).Where(c => c.Name.Contains(session.SessionId, StringComparison.Ordinal)).ToList();

            containers.Should().Contain(c => c.Id == labelled && c.Paused && c.Name == session.Name("labelled-node"));
            containers.Should().Contain(c => c.Id == attached && !c.Paused);
            containers.Should().NotContain(c => c.Id == foreign, "another tool's kind cluster is not on a harness network");
            leftovers.Select(c => c.Name).Should().BeEquivalentTo([labelledCluster, attachedCluster]);
            leftovers.Single(c => c.Name == labelledCluster).PausedNodes.Should().Equal(labelled);
            leftovers.Single(c => c.Name == attachedCluster).PausedNodes.Should().BeEmpty();
        }
        finally
        {
            using var cleanup = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await session.Docker.Containers.UnpauseAsync(labelled, cleanup.Token);
            await session.Docker.Containers.RemoveAsync(attached, force: true, removeVolumes: true, cleanup.Token);
            await session.Docker.Containers.RemoveAsync(foreign, force: true, removeVolumes: true, cleanup.Token);
        }
    }

    [Fact]
    public async Task A_stopped_kind_node_on_a_labelled_network_is_found_although_the_network_no_longer_lists_it()
    {
        // Docker's network inspect lists running and paused endpoints only; a stopped node would be stranded once the
        // network is removed (its start then fails with "network ... not found").
        var ct = TestContext.Current.CancellationToken;
        await using var session = await DockerTestSession.StartAsync(ct);
        var network = await session.CreateNetworkAsync("net", dualStack: false, ct);
        var stopped = await session.RunSleeperAsync("stopped-node", ct, spec => spec with
        {
            Labels = new Dictionary<string, string> { [KindClusterProvider.ClusterLabel] = session.Name("stopped") },
            Network = network.Name,
        });
        try
        {
            await session.Docker.Containers.StopAsync(stopped, TimeSpan.FromSeconds(1), ct);
            (await session.Docker.Networks.TryInspectAsync(network.Name, ct))!.Containers?.Keys.Should().NotContain(stopped, "the engine hides a stopped endpoint");
            using var connection = new DockerConnection();

            var containers = await new DockerEnvironment(connection).FindAnySessionContainersAsync(ct);

            var found = containers.Should().ContainSingle(c => c.Id == stopped).Subject;
            found.OwnerLabels.Should().Contain(session.Labels(), "it is judged by the labelled network it is attached to");
        }
        finally
        {
            using var cleanup = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await session.Docker.Containers.RemoveAsync(stopped, force: true, removeVolumes: true, cleanup.Token);
        }
    }

    [Fact]
    public async Task On_a_network_that_names_its_clusters_a_persons_own_kind_cluster_is_not_a_leftover()
    {
        // kind puts any cluster on a network that exists (kind v0.32.0 pkg/cluster/internal/providers/docker/network.go
        // ensureNetwork returns early), so `--network kind` would otherwise hand down --all every kind cluster there.
        var ct = TestContext.Current.CancellationToken;
        await using var session = await DockerTestSession.StartAsync(ct);
        var ours = session.Name("ours");
        var theirs = session.Name("theirs");
        var network = session.Name("named-net");
        await session.Docker.Networks.CreateAsync(
            new NetworkDefinition(network) { Labels = HarnessLabels.ForNetwork(session.SessionId, [ours], kept: false) }, ct);
        var ourNode = await session.RunSleeperAsync("our-node", ct, spec => spec with
        {
            Labels = new Dictionary<string, string> { [KindClusterProvider.ClusterLabel] = ours },
            Network = network,
        });
        var theirNode = await session.RunSleeperAsync("their-node", ct, spec => spec with
        {
            Labels = new Dictionary<string, string> { [KindClusterProvider.ClusterLabel] = theirs },
            Network = network,
        });
        try
        {
            using var connection = new DockerConnection();
            var provider = new KindClusterProvider(
                new KindCli(new ScriptedProcessRunner()), new DockerEnvironment(connection), new ScriptedProcessRunner(), Path.GetTempPath(), "kindest/node:unused", TimeSpan.FromMinutes(1), NullLoggerFactory.Instance);

            var leftovers = (await provider.FindLeftoverClustersAsync(ct)).Where(c => c.Name.Contains(session.SessionId, StringComparison.Ordinal));

            leftovers.Select(c => c.Name).Should().Equal(ours);
        }
        finally
        {
            using var cleanup = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await session.Docker.Containers.RemoveAsync(ourNode, force: true, removeVolumes: true, cleanup.Token);
            await session.Docker.Containers.RemoveAsync(theirNode, force: true, removeVolumes: true, cleanup.Token);
        }
    }
}
