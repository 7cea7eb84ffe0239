using FluentAssertions;
using MultiDcVault.Harness.Clusters.Docker;
using MultiDcVault.Harness.Clusters.Kind;
using MultiDcVault.Harness.Environment.Steps;
using MultiDcVault.Harness.Infrastructure.Docker;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Environment;

/// <summary>up starts by removing what provably dead owners left, and says so; a live owner's and a kept environment's stay.</summary>
public sealed class UpCrashSweepTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // This host and this process's pid, but another start stamp: the pid now belongs to another process, so its owner is dead.
    private static ResourceOwner DeadOwner() =>
        OwnerLiveness.System.Current() with { Started = "a-process-that-ended" };

    [Fact]
    public async Task Up_first_sweeps_dead_owners_objects_and_their_kind_clusters_and_reports_them_as_a_progress_line()
    {
        await using var world = new OrchestrationWorld();
        var dead = HarnessLabels.For("crashed", "test", DeadOwner());
        world.Docker.LabelledObjects.AddRange(
        [
            ("container", "crashed-central-vault", dead),
            ("network", "crashed-net", dead),
            ("volume", "crashed-vol", dead),
            ("container", "live-central-vault", HarnessLabels.For("running", "test")),
            ("network", "kept-net", HarnessLabels.For("kept", "shared-network", DeadOwner(), kept: true)),
        ]);
        world.Docker.SessionContainers.Add(
            new SessionContainer("n1", "crashed-control-plane", new Dictionary<string, string> { [KindClusterProvider.ClusterLabel] = "crashed" }, Paused: false) { OwnerLabels = dead });
        world.Docker.SessionContainers.Add(
            new SessionContainer("n2", "running-control-plane", new Dictionary<string, string> { [KindClusterProvider.ClusterLabel] = "running" }, Paused: false) { OwnerLabels = HarnessLabels.For("running", "shared-network") });
        await using var environment = world.CreateEnvironment();

        await environment.UpAsync(world.Progress, Ct);

        world.Docker.LabelledObjects.Select(o => o.Name).Should().BeEquivalentTo(["live-central-vault", "kept-net"]);
        world.Runner.InvocationsOf("kind", "delete").Select(s => string.Join(' ', s.Arguments)).Should().ContainSingle()
            .Which.Should().Contain("--name crashed");
        var note = world.Events.Should().ContainSingle(e => e.Phase == "leftovers").Subject;
        note.State.Should().Be(PhaseState.Succeeded);
        note.Message.Should().Contain("crashed-central-vault").And.Contain("crashed-net").And.Contain("crashed-vol").And.Contain("clusters crashed");
    }

    [Fact]
    public async Task With_nothing_dead_up_says_nothing_about_leftovers()
    {
        await using var world = new OrchestrationWorld();
        world.Docker.LabelledObjects.Add(("container", "live-central-vault", HarnessLabels.For("running", "test")));
        await using var environment = world.CreateEnvironment();

        await environment.UpAsync(world.Progress, Ct);

        world.Docker.LabelledObjects.Should().ContainSingle();
        world.Events.Should().NotContain(e => e.Phase == "leftovers");
    }
}
