using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using MultiDcVault.Harness.Clusters.Docker;
using MultiDcVault.Harness.Clusters;
using MultiDcVault.Harness.Clusters.Kind;
using MultiDcVault.Harness.Infrastructure.Docker;
using MultiDcVault.Harness.Infrastructure.Processes;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Clusters.Kind;

/// <summary>The leftover and log halves of kind's <see cref="IClusterProvider"/>: what down --all and the diagnostics bundle rely on.</summary>
public sealed class KindClusterProviderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly ScriptedProcessRunner _runner = new();
    private readonly FakeEnvironmentDocker _docker = new();

    private KindClusterProvider Provider() => new(
        new KindCli(_runner), _docker, _runner, Path.GetTempPath(), "kindest/node:unused", TimeSpan.FromMinutes(1), NullLoggerFactory.Instance);

    private static SessionContainer Container(string id, string? cluster, bool paused = false) =>
        new(id, $"name-{id}", cluster is null ? new Dictionary<string, string> { [HarnessLabels.Session] = "s1" } : new Dictionary<string, string> { [KindClusterProvider.ClusterLabel] = cluster }, paused);

    private static string KubeconfigOf(ProcessSpec spec) => spec.Arguments[spec.Arguments.ToList().IndexOf("--kubeconfig") + 1];

    [Fact]
    public async Task Leftover_clusters_are_the_kind_labelled_session_containers_grouped_by_cluster_with_their_paused_nodes()
    {
        _docker.SessionContainers.AddRange(
        [
            Container("c1", "zeta", paused: true),
            Container("c2", "alpha"),
            Container("c3", "zeta"),
            Container("c4", "zeta", paused: true),
            Container("c5", null),
            Container("c6", ""),
        ]);

        var leftovers = await Provider().FindLeftoverClustersAsync(Ct);

        leftovers.Select(c => c.Name).Should().Equal(["alpha", "zeta"], "sorted, and a container without kind's label (the central Vault) is no cluster");
        leftovers[0].PausedNodes.Should().BeEmpty();
        leftovers[1].PausedNodes.Should().Equal("c1", "c4");
    }

    [Fact]
    public async Task A_leftover_is_deleted_with_a_throw_away_kubeconfig_that_is_gone_afterwards()
    {
        string? kubeconfig = null;
        _runner.On("kind", "delete", "cluster").Responds(spec =>
        {
            // kind writes to the kubeconfig it is given while it removes the cluster's context.
            kubeconfig = KubeconfigOf(spec);
            File.WriteAllText(kubeconfig, "apiVersion: v1\n");
            return new ProcessResult(0, string.Empty, string.Empty, TimeSpan.Zero);
        });

        await Provider().DeleteLeftoverAsync("old-primary", Ct);

        var call = _runner.Invocations.Should().ContainSingle().Subject;
        call.Arguments.Take(4).Should().Equal("delete", "cluster", "--name", "old-primary");
        kubeconfig.Should().StartWith(Path.GetTempPath()).And.NotContain(Path.Combine(".kube", "config"));
        File.Exists(kubeconfig).Should().BeFalse("the throw-away kubeconfig is removed");
    }

    [Fact]
    public async Task A_failed_leftover_delete_throws_and_still_removes_the_throw_away_kubeconfig()
    {
        string? kubeconfig = null;
        _runner.On("kind", "delete", "cluster").Responds(spec =>
        {
            kubeconfig = KubeconfigOf(spec);
            File.WriteAllText(kubeconfig, "apiVersion: v1\n");
            return new ProcessResult(1, string.Empty, "ERROR: failed to delete nodes", TimeSpan.Zero);
        });

        var act = () => Provider().DeleteLeftoverAsync("old-primary", Ct);

        await act.Should().ThrowAsync<ProcessFailedException>();
        File.Exists(kubeconfig).Should().BeFalse();
    }

    [Fact]
    public async Task Node_logs_are_kinds_export_logs_of_the_cluster()
    {
        _runner.On("kind", "export", "logs").Returns();

        await Provider().ExportLogsAsync("alpha", "/tmp/bundle/alpha/kind-logs", Ct);

        _runner.Invocations.Should().ContainSingle().Which.Arguments.Should().Equal("export", "logs", "/tmp/bundle/alpha/kind-logs", "--name", "alpha");
    }
}
