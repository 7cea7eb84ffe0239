using FluentAssertions;
using MultiDcVault.Harness.Infrastructure.Kubernetes;
using MultiDcVault.Harness.Infrastructure.Processes;
using MultiDcVault.Harness.Tests.Infrastructure.Processes;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Infrastructure.Kubernetes;

/// <summary>Port-forward against a fake kubectl script run as a real process (no cluster needed).</summary>
public sealed class PortForwardTests : IDisposable
{
    private static readonly KubeTarget Primary = new("/work/multidc/kubeconfig-primary", "kind-primary");
    private readonly string _dir = Directory.CreateTempSubdirectory("multidc-pf-").FullName;

    public PortForwardTests() => Assert.SkipWhen(OperatingSystem.IsWindows(), "The fake kubectl is a /bin/sh script.");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private KubectlCli KubectlFrom(string script)
    {
        var tools = Directory.CreateDirectory(Path.Combine(_dir, "tools")).FullName;
        FakeTool.Write(tools, "kubectl", script);
        return new KubectlCli(new ProcessRunner(resolver: new ExecutableResolver(tools)));
    }

    [Fact]
    public async Task Learns_the_local_port_from_kubectl_output_and_stops_kubectl_on_dispose()
    {
        var argsFile = Path.Combine(_dir, "args");
        var pidFile = Path.Combine(_dir, "pid");
        var kubectl = KubectlFrom($"""
            printf '%s\n' "$@" > '{argsFile}'
            echo $$ > '{pidFile}'
            echo 'Forwarding from 127.0.0.1:45678 -> 8200'
            exec sleep 300
            """);

        var session = await kubectl.PortForwardAsync(Primary, "default", "service/vault-primary", 8200, Ct);
        await using (session)
        {
            session.LocalPort.Should().Be(45678);
            session.HttpsUri.Should().Be(new Uri("https://127.0.0.1:45678"));
            session.IsRunning.Should().BeTrue();
        }

        (await File.ReadAllLinesAsync(argsFile, Ct)).Should().Equal(
            "--kubeconfig", Primary.KubeconfigPath, "--context", "kind-primary",
            "port-forward", "--namespace", "default", "service/vault-primary", ":8200", "--address", "127.0.0.1");
        session.IsRunning.Should().BeFalse();
        var pid = int.Parse(await File.ReadAllTextAsync(pidFile, Ct), System.Globalization.CultureInfo.InvariantCulture);
        (await ProcessProbe.WaitUntilDeadAsync(pid)).Should().BeTrue();
    }

    [Fact]
    public async Task Kubectl_exiting_before_forwarding_fails_with_its_error()
    {
        var kubectl = KubectlFrom("echo 'error: services \"vault-primary\" not found' >&2; exit 1");

        var act = () => kubectl.PortForwardAsync(Primary, "default", "service/vault-primary", 8200, Ct);

        (await act.Should().ThrowAsync<ProcessFailedException>()).Which.StandardErrorTail.Should().Be("error: services \"vault-primary\" not found");
    }
}
