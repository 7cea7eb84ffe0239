using System.Net;
using Docker.DotNet.Models;
using FluentAssertions;
using MultiDcVault.Harness.Infrastructure.Docker;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Infrastructure.Docker;

[Trait("Category", "Docker")]
public sealed class DockerErrorTests
{
    [Fact]
    public async Task A_missing_image_says_which_and_how_to_get_it()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var session = await DockerTestSession.StartAsync(ct);
        var image = $"multidc-test/absent:{session.SessionId}";

        (await session.Docker.Images.ExistsAsync(image, ct)).Should().BeFalse();
        var create = () => session.Docker.Containers.CreateAsync(new ContainerDefinition(session.Name("ghost"), image) { Labels = session.Labels() }, ct);

        var error = (await create.Should().ThrowAsync<DockerImageNotFoundException>()).Which;
        error.Image.Should().Be(image);
        error.StatusCode.Should().Be(HttpStatusCode.NotFound);
        error.Message.Should().Contain(image).And.Contain($"docker pull {image}").And.Contain("docker load");
    }

    [Fact]
    public async Task The_test_image_is_present_and_inspectable()
    {
        var ct = TestContext.Current.CancellationToken;
        using var docker = await DockerTestSupport.ConnectOrSkipAsync(ct);
        await DockerTestSupport.RequireTestImageAsync(docker, ct);

        var image = await docker.Images.InspectAsync(DockerTestSupport.TestImage, ct);

        image.ID.Should().StartWith("sha256:");
        (await docker.Images.ExistsAsync(DockerTestSupport.TestImage, ct)).Should().BeTrue();
    }

    [Fact]
    public async Task A_container_name_in_use_is_a_conflict()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var session = await DockerTestSession.StartAsync(ct);
        // The first holder of the name comes from Testcontainers; the second create, through our layer, is the subject.
        await using var first = await TestContainers.StartSleeperAsync(session, "twin", ct);

        var again = () => session.RunSleeperAsync("twin", ct);

        var error = (await again.Should().ThrowAsync<DockerConflictException>()).Which;
        error.StatusCode.Should().Be(HttpStatusCode.Conflict);
        error.DaemonMessage.Should().Contain(session.Name("twin"));
        error.Message.Should().Contain("docker rm -f");
    }

    [Fact]
    public async Task A_network_name_in_use_is_a_conflict()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var session = await DockerTestSession.StartAsync(ct);
        await using var network = await TestContainers.CreateNetworkAsync(session, "twin", dualStack: false, ct);

        var again = () => session.Docker.Networks.CreateAsync(new NetworkDefinition(network.Name) { Labels = session.Labels() }, ct);

        (await again.Should().ThrowAsync<DockerConflictException>()).Which.DaemonMessage.Should().Contain(network.Name);
    }

    [Fact]
    public void The_wire_library_can_no_longer_ask_an_old_engine_to_refuse_duplicate_network_names()
    {
        // testcontainers/Docker.DotNet v4.3.3, src/Docker.DotNet/Models/NetworksCreateParameters.Generated.cs
        // (generated from Engine API v29) has no CheckDuplicate, which engines before API 1.44 need to refuse
        // a taken name (moby/moby#46251). The test above shows our guard standing in for it on this engine.
        typeof(NetworksCreateParameters).GetProperty("CheckDuplicate").Should().BeNull();
    }

    [Fact]
    public async Task An_overlapping_subnet_gets_its_own_error_naming_the_subnet()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var session = await DockerTestSession.StartAsync(ct);
        await using var first = await TestContainers.CreateNetworkAsync(session, "first", dualStack: false, ct);

        var overlapping = () => session.Docker.Networks.CreateAsync(
            new NetworkDefinition(session.Name("second")) { Subnets = [first.Ipv4], Labels = session.Labels() }, ct);

        var error = (await overlapping.Should().ThrowAsync<DockerSubnetOverlapException>()).Which;
        error.Subnets.Should().Equal(first.Ipv4.Subnet);
        error.Message.Should().Contain(first.Ipv4.Subnet).And.Contain("overlaps");
    }

    [Fact]
    public async Task Other_api_errors_carry_the_status_and_the_daemons_message()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var session = await DockerTestSession.StartAsync(ct);
        await using var lonely = await TestContainers.StartSleeperAsync(session, "lonely", ct);
        var missingNetwork = session.Name("no-such-network");

        var connect = () => session.Docker.Networks.ConnectAsync(missingNetwork, lonely.Id, null, ct);

        var error = (await connect.Should().ThrowAsync<DockerApiException>()).Which;
        error.StatusCode.Should().Be(HttpStatusCode.NotFound);
        error.DaemonMessage.Should().Contain(missingNetwork);
        error.Operation.Should().Be($"POST /networks/{missingNetwork}/connect");
        error.Message.Should().Contain(error.DaemonMessage).And.Contain("404");
    }

    [Fact]
    public async Task A_failed_pull_reports_the_daemons_reason()
    {
        var ct = TestContext.Current.CancellationToken;
        using var docker = await DockerTestSupport.ConnectOrSkipAsync(ct);

        // A registry on a loopback port nobody serves: the daemon fails fast and nothing leaves the machine.
        var pull = () => docker.Images.PullAsync("127.0.0.1:1/multidc-test/none:never", null, ct);

        var error = (await pull.Should().ThrowAsync<DockerApiException>()).Which;
        error.DaemonMessage.Should().Contain("127.0.0.1:1");
    }
}
