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
        var doomedNetwork = await doomed.CreateNetworkAsync("net", dualStack: false, ct);
        var doomedContainer = await doomed.RunSleeperAsync("node", ct, spec => spec with { Network = doomedNetwork.Name });
        var survivorNetwork = await survivor.CreateNetworkAsync("net", dualStack: false, ct);
        var survivorContainer = await survivor.RunSleeperAsync("node", ct, spec => spec with { Network = survivorNetwork.Name });

        var result = await new DockerSweeper(doomed.Docker).SweepSessionAsync(doomed.SessionId, ct);

        result.Containers.Should().Equal(doomed.Name("node"));
        result.Networks.Should().Equal(doomedNetwork.Name);
        (await doomed.Docker.Containers.TryInspectAsync(doomedContainer, ct)).Should().BeNull();
        (await doomed.Docker.Networks.TryInspectAsync(doomedNetwork.Name, ct)).Should().BeNull();
        (await survivor.Docker.Containers.InspectAsync(survivorContainer, ct)).State!.Running.Should().BeTrue();
        (await survivor.Docker.Networks.TryInspectAsync(survivorNetwork.Name, ct)).Should().NotBeNull();

        (await new DockerSweeper(doomed.Docker).SweepSessionAsync(doomed.SessionId, ct))
            .Should().BeEquivalentTo(new SweepResult([], []), "a second sweep finds nothing left");
    }
}
