using MultiDcVault.Harness.Clusters.Docker;
using FluentAssertions;
using MultiDcVault.Harness.Components.Kms;
using MultiDcVault.Harness.Tests.TestSupport;
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
        var (network, ipv4, _) = await session.CreateNetworkAsync("kms", dualStack: false, Ct);
        using var connection = new DockerConnection();
        var host = new DockerCentralVaultHost(connection, network, publishOnLoopback: false);
        var name = session.Name("central-vault");
        var volume = name + "-data";
        var fixedIp = ipv4.Subnet.Replace(".0/24", ".200", StringComparison.Ordinal);
        var spec = new CentralVaultContainerSpec(
            name,
            DockerTestSupport.TestImage,
            network,
            fixedIp,
            CentralVaultServerConfig.Environment,
            ["sleep", "300"], // busybox stands in for the Vault image; the Vault image gets CentralVaultServerConfig.Command
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
            inspected.HostConfig!.Binds.Should().Contain($"{volume}:/vault/file");
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
    public async Task Session_sweep_removes_labelled_volumes_and_leaves_other_sessions_volumes()
    {
        await using var doomed = await DockerTestSession.StartAsync(Ct);
        await using var survivor = await DockerTestSession.StartAsync(Ct);
        var doomedVolume = doomed.Name("data");
        var survivorVolume = survivor.Name("data");
        await doomed.Docker.Volumes.CreateAsync(doomedVolume, doomed.Labels(), Ct);
        await survivor.Docker.Volumes.CreateAsync(survivorVolume, survivor.Labels(), Ct);

        var result = await new DockerSweeper(doomed.Docker).SweepSessionAsync(doomed.SessionId, Ct);

        result.Volumes.Should().Equal(doomedVolume);
        (await doomed.Docker.Volumes.TryInspectAsync(doomedVolume, Ct)).Should().BeNull();
        (await survivor.Docker.Volumes.TryInspectAsync(survivorVolume, Ct)).Should().NotBeNull();
    }
}
