using System.Diagnostics;
using FluentAssertions;
using MultiDcVault.Harness.Clusters.Docker;
using MultiDcVault.Harness.Infrastructure.Docker;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Infrastructure.Docker;

/// <summary>Against the real engine: what a process killed with SIGKILL owned is swept; what a live process owns stays.</summary>
public sealed class CrashLeftoverSweepTests
{
    [Fact]
    public async Task Objects_of_a_SIGKILLed_owner_are_swept_paused_ones_too_and_a_live_owners_survive()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "needs a POSIX `sleep` to play the owner");
        var ct = TestContext.Current.CancellationToken;
        await using var session = await DockerTestSession.StartAsync(ct);
        await DockerTestSupport.RequireTestImageAsync(session.Docker, ct);

        using var child = Process.Start(new ProcessStartInfo("sleep", "30") { UseShellExecute = false })
            ?? throw new InvalidOperationException("could not start sleep");
        var childOwner = OwnerLiveness.System.Of(child.Id);
        var dead = HarnessLabels.For(session.SessionId, "test", childOwner);

        var deadNetwork = session.Name("dead-net");
        await session.Docker.Networks.CreateAsync(new NetworkDefinition(deadNetwork) { Labels = dead }, ct);
        var deadVolume = session.Name("dead-vol");
        await session.Docker.Volumes.CreateAsync(deadVolume, dead, ct);
        var deadContainer = await session.RunSleeperAsync("dead", ct, spec => spec with { Labels = dead, Network = deadNetwork });
        await session.Docker.Containers.PauseAsync(deadContainer, ct);
        var liveContainer = await session.RunSleeperAsync("live", ct);
        var liveNetwork = await session.CreateNetworkAsync("live-net", dualStack: false, ct);

        // While the child runs, the sweep must leave its objects alone.
        var early = await new DockerSweeper(session.Docker).SweepSelectedAsync(OwnerLiveness.System.IsCrashLeftover, ct);
        early.Containers.Should().NotContain(session.Name("dead"));
        early.Networks.Should().NotContain(deadNetwork);

        child.Kill();
        await child.WaitForExitAsync(ct); // reaped: a zombie would still show its /proc entry

        var swept = await new DockerSweeper(session.Docker).SweepSelectedAsync(OwnerLiveness.System.IsCrashLeftover, ct);

        swept.Containers.Should().Contain(session.Name("dead"));
        swept.Networks.Should().Contain(deadNetwork);
        swept.Volumes.Should().Contain(deadVolume);
        (await session.Docker.Containers.TryInspectAsync(deadContainer, ct)).Should().BeNull();
        (await session.Docker.Networks.TryInspectAsync(deadNetwork, ct)).Should().BeNull();
        (await session.Docker.Volumes.TryInspectAsync(deadVolume, ct)).Should().BeNull();
        (await session.Docker.Containers.TryInspectAsync(liveContainer, ct)).Should().NotBeNull("this test's process is alive");
        (await session.Docker.Networks.TryInspectAsync(liveNetwork.Name, ct)).Should().NotBeNull();
        swept.Containers.Should().NotContain(session.Name("live"));
    }
}
