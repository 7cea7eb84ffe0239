using MultiDcVault.Harness.Clusters.Docker;
using FluentAssertions;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Clusters.Docker;

[Trait("Category", "Docker")]
public sealed class DockerSweeperTests
{
    [Fact]
    public async Task Sweeping_one_session_removes_exactly_its_containers_and_networks()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var doomed = await DockerTestSession.StartAsync(ct);
        await using var survivor = await DockerTestSession.StartAsync(ct);
        // Stand-ins for kind nodes and their network, one set per session; the sweeper finds them by label alone.
        await using var doomedNetwork = await TestContainers.CreateNetworkAsync(doomed, "net", dualStack: false, ct);
        await using var doomedContainer = await TestContainers.StartSleeperAsync(doomed, "node", ct, b => b.WithNetwork(doomedNetwork.Name));
        await using var survivorNetwork = await TestContainers.CreateNetworkAsync(survivor, "net", dualStack: false, ct);
        await using var survivorContainer = await TestContainers.StartSleeperAsync(survivor, "node", ct, b => b.WithNetwork(survivorNetwork.Name));

        var result = await new DockerSweeper(doomed.Docker).SweepSessionAsync(doomed.SessionId, ct);

        result.Containers.Should().Equal(doomed.Name("node"));
        result.Networks.Should().Equal(doomedNetwork.Name);
        (await doomed.Docker.Containers.TryInspectAsync(doomedContainer.Id, ct)).Should().BeNull();
        (await doomed.Docker.Networks.TryInspectAsync(doomedNetwork.Name, ct)).Should().BeNull();
        (await survivor.Docker.Containers.InspectAsync(survivorContainer.Id, ct)).State!.Running.Should().BeTrue();
        (await survivor.Docker.Networks.TryInspectAsync(survivorNetwork.Name, ct)).Should().NotBeNull();

        (await new DockerSweeper(doomed.Docker).SweepSessionAsync(doomed.SessionId, ct))
            .Should().BeEquivalentTo(new SweepResult([], []), "a second sweep finds nothing left");
    }
}
