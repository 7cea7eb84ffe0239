using FluentAssertions;
using MultiDcVault.Harness.Infrastructure.Docker;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Infrastructure.Docker;

[Trait("Category", "Docker")]
public sealed class DockerContainerTests
{
    [Fact]
    public async Task Container_is_created_with_its_settings_started_listed_stopped_and_removed()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var session = await DockerTestSession.StartAsync(ct);
        var network = await session.CreateNetworkAsync("net", dualStack: false, ct);
        var fixedIp = network.Ipv4.Gateway![..^1] + "50";

        var id = await session.RunSleeperAsync("life", ct, spec => spec with
        {
            Env = new Dictionary<string, string> { ["GREETING"] = "hello" },
            CapAdd = ["NET_ADMIN"],
            Labels = session.Labels("central-vault"),
            Network = network.Name,
            Ipv4Address = fixedIp,
        });

        var running = await session.Docker.Containers.InspectAsync(id, ct);
        running.Name.TrimStart('/').Should().Be(session.Name("life"));
        running.State!.Running.Should().BeTrue();
        running.State!.Status.Should().Be("running");
        running.Config!.Labels.Should().Contain(HarnessLabels.Session, session.SessionId).And.Contain(HarnessLabels.Role, "central-vault");
        running.Config!.Env.Should().Contain("GREETING=hello");
        running.HostConfig!.CapAdd.Should().Contain("NET_ADMIN");
        running.NetworkSettings!.Networks.Should().ContainKey(network.Name);
        running.NetworkSettings!.Networks![network.Name].IPAddress.Should().Be(fixedIp);

        var listed = await session.Docker.Containers.ListAsync(HarnessLabels.SessionFilter(session.SessionId), ct);
        listed.Select(c => c.ID).Should().Equal(id);

        await session.Docker.Containers.StopAsync(id, TimeSpan.FromSeconds(1), ct);
        var stopped = await session.Docker.Containers.InspectAsync(id, ct);
        stopped.State!.Running.Should().BeFalse();
        stopped.State!.Status.Should().Be("exited");
        await session.Docker.Containers.StopAsync(id, TimeSpan.FromSeconds(1), ct); // already stopped: not an error

        (await session.Docker.Containers.RemoveAsync(id, force: false, removeVolumes: true, ct)).Should().BeTrue();
        (await session.Docker.Containers.TryInspectAsync(id, ct)).Should().BeNull();
        (await session.Docker.Containers.RemoveAsync(id, force: true, removeVolumes: true, ct)).Should().BeFalse();
    }

    [Fact]
    public async Task A_published_port_gets_a_free_host_port_on_loopback()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var session = await DockerTestSession.StartAsync(ct);

        var id = await session.RunSleeperAsync("published", ct, spec => spec with
        {
            PortBindings = new Dictionary<string, PublishedPort> { ["8200/tcp"] = new("127.0.0.1", 0) },
        });

        var inspected = await session.Docker.Containers.InspectAsync(id, ct);
        var binding = inspected.NetworkSettings!.Ports.Should().ContainKey("8200/tcp").WhoseValue.Should().ContainSingle().Subject;
        binding.HostIP.Should().Be("127.0.0.1");
        int.Parse(binding.HostPort!, System.Globalization.CultureInfo.InvariantCulture).Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task Exec_captures_stdout_stderr_and_a_non_zero_exit_code()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var session = await DockerTestSession.StartAsync(ct);
        var id = await session.RunSleeperAsync("exec", ct);

        var failed = await session.Docker.Exec.RunAsync(id, ["sh", "-c", "echo to-out; echo to-err >&2; exit 3"], null, ct);
        failed.ExitCode.Should().Be(3);
        failed.Succeeded.Should().BeFalse();
        failed.Stdout.Should().Be("to-out\n");
        failed.Stderr.Should().Be("to-err\n");

        var withEnv = await session.Docker.Exec.RunAsync(
            id, ["sh", "-c", "echo $FAULT"], new ExecOptions { Env = new Dictionary<string, string> { ["FAULT"] = "partition" } }, ct);
        withEnv.Succeeded.Should().BeTrue();
        withEnv.Stdout.Should().Be("partition\n");
        withEnv.Stderr.Should().BeEmpty();
    }

    [Fact]
    public async Task Logs_are_split_into_stdout_and_stderr()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var session = await DockerTestSession.StartAsync(ct);
        var id = await session.RunSleeperAsync("logs", ct, spec => spec with
        {
            Cmd = ["sh", "-c", "echo started-out; echo started-err >&2; exec sleep 300"],
        });

        var logs = new ContainerOutput(string.Empty, string.Empty);
        for (var attempt = 0; attempt < 50 && !(logs.Stdout.Contains("started-out", StringComparison.Ordinal) && logs.Stderr.Length > 0); attempt++)
        {
            await Task.Delay(100, ct); // the shell may not have written yet right after start
            logs = await session.Docker.Containers.LogsAsync(id, tail: null, ct);
        }

        logs.Stdout.Should().Be("started-out\n");
        logs.Stderr.Should().Be("started-err\n");
    }

    [Fact]
    public async Task Pause_freezes_the_container_and_unpause_resumes_it()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var session = await DockerTestSession.StartAsync(ct);
        var id = await session.RunSleeperAsync("pause", ct);

        await session.Docker.Containers.PauseAsync(id, ct);
        var paused = await session.Docker.Containers.InspectAsync(id, ct);
        paused.State!.Paused.Should().BeTrue();
        paused.State!.Status.Should().Be("paused");
        var execWhilePaused = () => session.Docker.Exec.RunAsync(id, ["true"], null, ct);
        await execWhilePaused.Should().ThrowAsync<DockerConflictException>();

        await session.Docker.Containers.UnpauseAsync(id, ct);
        var resumed = await session.Docker.Containers.InspectAsync(id, ct);
        resumed.State!.Paused.Should().BeFalse();
        resumed.State!.Running.Should().BeTrue();
        (await session.Docker.Exec.RunAsync(id, ["true"], null, ct)).ExitCode.Should().Be(0);
    }

    [Fact]
    public async Task Kill_delivers_the_signal()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var session = await DockerTestSession.StartAsync(ct);
        var id = await session.RunSleeperAsync("kill", ct);

        await session.Docker.Containers.KillAsync(id, "SIGKILL", ct);

        var killed = await session.Docker.Containers.InspectAsync(id, ct);
        killed.State!.Running.Should().BeFalse();
        killed.State!.ExitCode.Should().Be(137);
    }
}
