using FluentAssertions;
using MultiDcVault.Harness.Infrastructure.Docker;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Infrastructure.Docker;

/// <summary>
/// The Testcontainers scaffolding the Docker tests build on: it carries the session's labels, runs on the
/// negotiated endpoint, and its dispose removes what it made even with Ryuk disabled (where Testcontainers
/// by itself would only stop a container and keep a network).
/// </summary>
[Trait("Category", "Docker")]
public sealed class TestContainersScaffoldingTests
{
    [Fact]
    public async Task Scaffolding_is_labelled_for_the_session_and_removed_on_dispose()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var session = await DockerTestSession.StartAsync(ct);
        var network = await TestContainers.CreateNetworkAsync(session, "scaffold", dualStack: false, ct);
        var fixedIp = network.Ipv4.Gateway![..^1] + "30";
        var container = await TestContainers.StartSleeperAsync(session, "scaffold", ct, b => b.WithIpv4Address(network.Name, fixedIp));
        var volume = await TestContainers.CreateVolumeAsync(session, "scaffold", ct);

        var running = await session.Docker.Containers.InspectAsync(container.Id, ct);
        running.State!.Running.Should().BeTrue();
        running.Name.TrimStart('/').Should().Be(session.Name("scaffold"));
        running.Config!.Labels.Should().Contain(session.Labels());
        running.NetworkSettings!.Networks![network.Name].IPAddress.Should().Be(fixedIp);
        (await session.Docker.Networks.ListAsync(HarnessLabels.SessionFilter(session.SessionId), ct)).Select(n => n.Name).Should().Equal(network.Name);
        (await session.Docker.Volumes.TryInspectAsync(volume.Name, ct))!.Labels.Should().Contain(session.Labels());

        var (containerId, networkName, volumeName) = (container.Id, network.Name, volume.Name);
        await container.DisposeAsync();
        await network.DisposeAsync();
        await volume.DisposeAsync();

        // Before the session's own sweep: dispose alone removed them.
        (await session.Docker.Containers.TryInspectAsync(containerId, ct)).Should().BeNull();
        (await session.Docker.Networks.TryInspectAsync(networkName, ct)).Should().BeNull();
        (await session.Docker.Volumes.TryInspectAsync(volumeName, ct)).Should().BeNull();
    }
}
