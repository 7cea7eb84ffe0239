using MultiDcVault.Harness.Clusters.Docker;
using FluentAssertions;
using MultiDcVault.Harness.Components.Kms;
using MultiDcVault.Harness.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace MultiDcVault.Harness.Tests.Components.Kms;

/// <summary>
/// The central Vault's container host against the real engine, with the busybox test image standing in for the
/// Vault image: the labelled volume, the fixed address, the capabilities, no credential in the container's
/// configuration, storage that survives a stop and start, and removal of container and volume.
/// </summary>
[Trait("Category", "Docker")]
public sealed class DockerCentralVaultHostTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Storage_on_the_labelled_volume_and_the_fixed_address_survive_a_stop_and_start_and_remove_takes_both()
    {
        await using var session = await DockerTestSession.StartAsync(Ct);
        await DockerTestSupport.RequireTestImageAsync(session.Docker, Ct);
        await using var kms = await TestContainers.CreateNetworkAsync(session, "kms", dualStack: false, Ct);
        var (network, ipv4) = (kms.Name, kms.Ipv4);
        using var connection = new DockerConnection();
        var host = Host(connection, network);
        var name = session.Name("central-vault");
        var volume = name + "-data";
        var fixedIp = ipv4.Subnet.Replace(".0/24", ".200", StringComparison.Ordinal);
        var spec = new CentralVaultContainerSpec(
            name,
            DockerTestSupport.TestImage,
            network,
            fixedIp,
            CentralVaultServerConfig.Environment,
            ServeHealthAfter(TimeSpan.Zero), // busybox stands in for the Vault image; the Vault image gets CentralVaultServerConfig.Command
            CentralVaultServerConfig.Capabilities,
            session.Labels("central-vault"),
            volume,
            CentralVaultServerConfig.DataPath);
        try
        {
            var started = await host.StartAsync(spec, Ct);

            started.NetworkIp.Should().Be(fixedIp);
            started.FixedAddress.Should().BeTrue();
            started.HostAddress.Should().Be(new Uri($"http://{fixedIp}:8200"));
            var inspected = await session.Docker.Containers.InspectAsync(name, Ct);
            inspected.HostConfig!.CapAdd.Should().Contain("IPC_LOCK");
            inspected.Mounts.Should().ContainSingle(m => m.Type == "volume" && m.Name == volume && m.Destination == "/vault/file");
            inspected.Config!.Env.Should().Contain($"VAULT_LOCAL_CONFIG={CentralVaultServerConfig.Json}").And.Contain("SKIP_SETCAP=true");
            inspected.Config!.Env.Should().NotContain(e => e.StartsWith("VAULT_DEV_ROOT_TOKEN_ID", StringComparison.Ordinal));
            var created = await session.Docker.Volumes.TryInspectAsync(volume, Ct);
            created!.Labels.Should().Contain(session.Labels("central-vault"));

            (await session.Docker.Exec.RunAsync(name, ["sh", "-c", "echo kept > /vault/file/marker"], null, Ct)).ExitCode.Should().Be(0);
            await host.StopAsync(name, Ct);
            (await host.FindRunningAsync(name, Ct)).Should().BeNull();
            (await host.ExistsAsync(name, Ct)).Should().BeTrue();

            var again = await host.RestartStoppedAsync(name, Ct);

            again.NetworkIp.Should().Be(fixedIp, "the in-cluster seal stanzas name this address");
            (await session.Docker.Exec.RunAsync(name, ["cat", "/vault/file/marker"], null, Ct)).Stdout.Trim().Should().Be("kept");

            (await host.RemoveAsync(name, volume, Ct)).Should().Be(new CentralVaultRemoval(Container: true, Volume: true));
            (await host.ExistsAsync(name, Ct)).Should().BeFalse();
            (await session.Docker.Volumes.TryInspectAsync(volume, Ct)).Should().BeNull();
            (await host.RemoveAsync(name, volume, Ct)).Any.Should().BeFalse("nothing is left to remove");
        }
        finally
        {
            await host.RemoveAsync(name, volume, CancellationToken.None);
        }
    }

    [Fact]
    public async Task Start_returns_once_the_listener_answers_sys_health_and_not_before()
    {
        await using var session = await DockerTestSession.StartAsync(Ct);
        await DockerTestSupport.RequireTestImageAsync(session.Docker, Ct);
        await using var created = await TestContainers.CreateNetworkAsync(session, "kms-slow", dualStack: false, Ct);
        var network = created.Name;
        using var connection = new DockerConnection();
        var host = Host(connection, network);
        var name = session.Name("slow-vault");
        try
        {
            var started = await host.StartAsync(Spec(session, name, network, ServeHealthAfter(TimeSpan.FromSeconds(3))), Ct);

            using var http = new HttpClient();
            using var answer = await http.GetAsync(new Uri(started.HostAddress, "v1/sys/health"), Ct);
            answer.IsSuccessStatusCode.Should().BeTrue("the wait strategy returned only once sys/health answered");
            (await session.Docker.Containers.InspectAsync(name, Ct)).Config!.Labels.Should().Contain(session.Labels("central-vault"));
        }
        finally
        {
            await host.RemoveAsync(name, name + "-data", CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_container_that_exits_at_once_ends_the_wait_instead_of_hanging()
    {
        await using var session = await DockerTestSession.StartAsync(Ct);
        await DockerTestSupport.RequireTestImageAsync(session.Docker, Ct);
        await using var created = await TestContainers.CreateNetworkAsync(session, "kms-dead", dualStack: false, Ct);
        var network = created.Name;
        using var connection = new DockerConnection();
        var host = Host(connection, network);
        var name = session.Name("dead-vault");
        try
        {
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            bounded.CancelAfter(TimeSpan.FromSeconds(60));

            var token = TestTokens.Named("tokenInCentralVaultLogs");
            var start = () => host.StartAsync(Spec(session, name, network, ["sh", "-c", $"echo bad config token={token} >&2; exit 1"]), bounded.Token);

            var error = (await start.Should().ThrowAsync<InvalidOperationException>()).Which;
            error.Message.Should().Contain(name).And.Contain("exited before its listener answered").And.Contain("bad config");
            error.Message.Should().NotContain(token, "container logs are redacted");
        }
        finally
        {
            await host.RemoveAsync(name, name + "-data", CancellationToken.None);
        }
    }

    [Fact]
    public async Task Session_sweep_removes_labelled_volumes_and_leaves_other_sessions_volumes()
    {
        await using var doomed = await DockerTestSession.StartAsync(Ct);
        await using var survivor = await DockerTestSession.StartAsync(Ct);
        var doomedVolume = doomed.Name("data");
        var survivorVolume = survivor.Name("data");
        await using var doomedData = await TestContainers.CreateVolumeAsync(doomed, "data", Ct);
        await using var survivorData = await TestContainers.CreateVolumeAsync(survivor, "data", Ct);

        var result = await new DockerSweeper(doomed.Docker).SweepSessionAsync(doomed.SessionId, Ct);

        result.Volumes.Should().Equal(doomedVolume);
        (await doomed.Docker.Volumes.TryInspectAsync(doomedVolume, Ct)).Should().BeNull();
        (await survivor.Docker.Volumes.TryInspectAsync(survivorVolume, Ct)).Should().NotBeNull();
    }

    private static DockerCentralVaultHost Host(DockerConnection connection, string network) =>
        new(connection, network, publishOnLoopback: !OperatingSystem.IsLinux(), reapAfterCrash: true, NullLogger.Instance);

    private static CentralVaultContainerSpec Spec(DockerTestSession session, string name, string network, IReadOnlyList<string> command) =>
        new(
            name,
            DockerTestSupport.TestImage,
            network,
            null,
            CentralVaultServerConfig.Environment,
            command,
            CentralVaultServerConfig.Capabilities,
            session.Labels("central-vault"),
            name + "-data",
            CentralVaultServerConfig.DataPath);

    // Busybox answers GET /v1/sys/health on 8200 after a delay, like a Vault whose listener is still starting.
    private static string[] ServeHealthAfter(TimeSpan delay) =>
        ["sh", "-c", $"sleep {(int)delay.TotalSeconds}; mkdir -p /www/v1/sys && echo '{{}}' > /www/v1/sys/health && exec busybox httpd -f -p 8200 -h /www"];
}
