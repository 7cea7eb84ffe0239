using System.Collections.Concurrent;
using FluentAssertions;
using MultiDcVault.Harness.Clusters.Docker;
using MultiDcVault.Harness.Clusters;
using MultiDcVault.Harness.Environment.Down;
using MultiDcVault.Harness.Faults;
using MultiDcVault.Harness.Infrastructure.Kubernetes;
using MultiDcVault.Harness.Infrastructure.Processes;
using MultiDcVault.Harness.Planning;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Environment.Down;

/// <summary>down --all over the cluster-provider seam: the order of unpause, delete and sweep, and failures kept as problems.</summary>
public sealed class LeftoverSweeperTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly ConcurrentQueue<string> _log = new();

    [Fact]
    public async Task Paused_nodes_are_unpaused_before_any_cluster_is_deleted_and_the_sweep_comes_last()
    {
        var docker = Docker(["swept-central-vault"]);
        var clusters = new ScriptedClusterProvider(_log)
        {
            Leftovers = [new LeftoverCluster("old-primary", ["id-primary"]), new LeftoverCluster("old-secondary", ["id-secondary-1", "id-secondary-2"])],
        };

        var report = await new LeftoverSweeper(clusters, docker).SweepAllAsync(Ct);

        _log.Should().Equal(
            "find leftovers",
            "unpause id-primary",
            "unpause id-secondary-1",
            "unpause id-secondary-2",
            "delete old-primary",
            "delete old-secondary",
            "sweep selected");
        report.ClustersDeleted.Should().Equal("old-primary", "old-secondary");
        report.ContainersRemoved.Should().Equal("swept-central-vault");
        report.Problems.Should().BeEmpty();
    }

    [Fact]
    public async Task A_cluster_that_cannot_be_deleted_is_a_problem_and_the_rest_still_goes()
    {
        var docker = Docker([]);
        var clusters = new ScriptedClusterProvider(_log)
        {
            Leftovers = [new LeftoverCluster("a", []), new LeftoverCluster("b", []), new LeftoverCluster("c", [])],
            DeleteFailure = name => name == "b" ? new ProcessFailedException("kind delete cluster --name b", 1, "ERROR: failed to delete cluster \"b\"") : null,
        };

        var report = await new LeftoverSweeper(clusters, docker).SweepAllAsync(Ct);

        report.ClustersDeleted.Should().Equal("a", "c");
        report.Problems.Should().ContainSingle().Which.Should().StartWith("kind delete cluster --name b failed:").And.Contain("failed to delete cluster");
        _log.Should().EndWith(["delete c", "sweep selected"], "a failed delete neither stops the next one nor the sweep");
    }

    [Fact]
    public async Task A_missing_kind_is_a_problem_per_cluster_and_the_labelled_leftovers_are_still_swept()
    {
        var docker = Docker(["old-central-vault"]);
        var clusters = new ScriptedClusterProvider(_log)
        {
            Leftovers = [new LeftoverCluster("a", [])],
            DeleteFailure = _ => new ToolNotFoundException("kind", ["/nowhere"]),
        };

        var report = await new LeftoverSweeper(clusters, docker).SweepAllAsync(Ct);

        report.ClustersDeleted.Should().BeEmpty();
        report.Problems.Should().ContainSingle().Which.Should().Contain("--name a");
        report.ContainersRemoved.Should().Equal("old-central-vault");
    }

    [Fact]
    public async Task With_no_leftover_cluster_nothing_is_unpaused_or_deleted_but_the_sweep_runs()
    {
        var report = await new LeftoverSweeper(new ScriptedClusterProvider(_log), Docker([])).SweepAllAsync(Ct);

        _log.Should().Equal("find leftovers", "sweep selected");
        report.RemovedNothing.Should().BeTrue();
    }

    private FakeEnvironmentDocker Docker(IReadOnlyList<string> swept) =>
        new() { Calls = _log, NodeContainers = new RecordingNodes(_log), SweptContainers = swept };

    private sealed class RecordingNodes(ConcurrentQueue<string> log) : INodeContainers
    {
        public Task<NodeExecResult> ExecAsync(string container, IReadOnlyList<string> command, CancellationToken cancellationToken) =>
            throw new NotSupportedException("a sweep runs nothing in the nodes");

        public Task PauseAsync(string container, CancellationToken cancellationToken) =>
            throw new NotSupportedException("a sweep never pauses");

        public Task UnpauseAsync(string container, CancellationToken cancellationToken)
        {
            log.Enqueue($"unpause {container}");
            return Task.CompletedTask;
        }

        public Task<bool> IsPausedAsync(string container, CancellationToken cancellationToken) =>
            throw new NotSupportedException("the provider says which nodes are paused");

        public Task StopAsync(string container, TimeSpan timeout, CancellationToken cancellationToken) =>
            throw new NotSupportedException("a sweep never stops a node: it deletes the cluster");

        public Task StartAsync(string container, CancellationToken cancellationToken) =>
            throw new NotSupportedException("a sweep never starts a node");

        public Task<NodeContainerState> InspectAsync(string container, string network, CancellationToken cancellationToken) =>
            throw new NotSupportedException("the provider says which nodes exist");
    }

    /// <summary>Only the leftover half of the seam; anything else a sweep must not call.</summary>
    private sealed class ScriptedClusterProvider(ConcurrentQueue<string> log) : IClusterProvider
    {
        public IReadOnlyList<LeftoverCluster> Leftovers { get; init; } = [];

        public Func<string, Exception?> DeleteFailure { get; init; } = _ => null;

        public string Name => "kind";

        public Task<IReadOnlyList<LeftoverCluster>> FindLeftoverClustersAsync(CancellationToken cancellationToken)
        {
            log.Enqueue("find leftovers");
            return Task.FromResult(Leftovers);
        }

        public Task DeleteLeftoverAsync(string cluster, CancellationToken cancellationToken)
        {
            log.Enqueue($"delete {cluster}");
            return DeleteFailure(cluster) is { } error ? Task.FromException(error) : Task.CompletedTask;
        }

        public KubeTarget Target(ClusterIdentity cluster) => throw Unexpected();

        public Task CreateAsync(ClusterIdentity cluster, string configPath, string network, CancellationToken cancellationToken) => throw Unexpected();

        public Task DeleteAsync(ClusterIdentity cluster, string kubeconfigPath, CancellationToken cancellationToken) => throw Unexpected();

        public Task<IReadOnlyList<KindNodeContainer>> FindNodesAsync(string cluster, CancellationToken cancellationToken) => throw Unexpected();

        public IClusterImageLoader CreateImageLoader(string archiveDirectory) => throw Unexpected();

        public Task ExportLogsAsync(string cluster, string directory, CancellationToken cancellationToken) => throw Unexpected();

        private static NotSupportedException Unexpected() => new("a leftover sweep only finds and deletes leftovers");
    }
}
