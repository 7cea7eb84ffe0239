using MultiDcVault.Harness.Clusters.Docker;
using System.Globalization;
using MultiDcVault.Harness.Infrastructure.Docker;
using MultiDcVault.Harness.Planning;
using Xunit;

namespace MultiDcVault.Harness.Tests.TestSupport;

/// <summary>
/// Connects the Docker integration tests to the real engine. Without an engine they skip with
/// the list of places looked at; with MULTIDC_REQUIRE_DOCKER=1 (CI) they fail instead, so a gate
/// can never pass by skipping.
/// </summary>
internal static class DockerTestSupport
{
    public const string RequireDockerVariable = "MULTIDC_REQUIRE_DOCKER";
    public const string TestImageVariable = "MULTIDC_TEST_IMAGE";
    public const string DefaultTestImage = "multidc-test/busybox:local";

    /// <summary>A local image with /bin/sh, sleep, echo and ip (CI imports busybox-static).</summary>
    public static string TestImage =>
        System.Environment.GetEnvironmentVariable(TestImageVariable) is { Length: > 0 } image ? image : DefaultTestImage;

    public static bool DockerRequired =>
        System.Environment.GetEnvironmentVariable(RequireDockerVariable) is "1" or "true" or "TRUE" or "True";

    private static readonly SemaphoreSlim CrashSweepGate = new(1, 1);
    private static bool _crashSweepDone;

    /// <summary>What the first connect of this test process swept: test runs killed hard before it left these.</summary>
    public static SweepResult? CrashLeftoversSwept { get; private set; }

    /// <summary>
    /// Connects, or skips (engine absent) / fails (engine absent and required). The first connect of the test process
    /// first removes what runs killed hard (kill -9) left, only provably dead owners' objects; every connect waits for it,
    /// so no test's objects exist while it runs.
    /// </summary>
    public static async Task<DockerClient> ConnectOrSkipAsync(CancellationToken cancellationToken)
    {
        try
        {
            var docker = await DockerClient.ConnectAsync(cancellationToken);
            await SweepCrashLeftoversOnceAsync(docker, cancellationToken);
            return docker;
        }
        catch (DockerUnavailableException e)
        {
            if (DockerRequired)
            {
                throw new InvalidOperationException($"{RequireDockerVariable}=1 but no Docker engine answers. {e.Message}", e);
            }

            Assert.Skip($"No Docker engine answers (set {RequireDockerVariable}=1 to turn this into a failure). {e.Message}");
            throw; // Assert.Skip throws; this keeps the compiler's flow analysis honest.
        }
    }

    private static async Task SweepCrashLeftoversOnceAsync(DockerClient docker, CancellationToken cancellationToken)
    {
        await CrashSweepGate.WaitAsync(cancellationToken);
        try
        {
            if (!_crashSweepDone)
            {
                CrashLeftoversSwept = await new DockerSweeper(docker).SweepSelectedAsync(
                    OwnerLiveness.System.IsCrashLeftover, cancellationToken);
                _crashSweepDone = true;
                if (CrashLeftoversSwept.Containers.Count + CrashLeftoversSwept.Networks.Count + CrashLeftoversSwept.Volumes.Count > 0)
                {
                    TestContext.Current.SendDiagnosticMessage(
                        $"Removed dead test runs' leftovers: containers {string.Join(", ", CrashLeftoversSwept.Containers)}; " +
                        $"networks {string.Join(", ", CrashLeftoversSwept.Networks)}; volumes {string.Join(", ", CrashLeftoversSwept.Volumes)}.");
                }
            }
        }
        finally
        {
            CrashSweepGate.Release();
        }
    }

    /// <summary>Skips (fails when Docker is required) unless the local test image exists: there is no registry to pull it from.</summary>
    public static async Task RequireTestImageAsync(DockerClient docker, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(docker);
        if (await docker.Images.ExistsAsync(TestImage, cancellationToken))
        {
            return;
        }

        var reason = $"The local test image '{TestImage}' is missing ({TestImageVariable} names another): " +
            "build it from busybox-static with `docker import` as README.md shows (.ci/run does this).";
        if (DockerRequired)
        {
            throw new InvalidOperationException($"{RequireDockerVariable}=1: {reason}");
        }

        Assert.Skip(reason);
    }
}

/// <summary>
/// One test's slice of the engine: a unique session label on everything it creates, unique
/// names, and removal of all of it (containers, then networks) on dispose.
/// </summary>
internal sealed class DockerTestSession : IAsyncDisposable
{
    private DockerTestSession(DockerClient docker)
    {
        Docker = docker;
        SessionId = "t" + HarnessLabels.NewSessionId();
    }

    public DockerClient Docker { get; }

    public string SessionId { get; }

    public static async Task<DockerTestSession> StartAsync(CancellationToken cancellationToken) =>
        new(await DockerTestSupport.ConnectOrSkipAsync(cancellationToken));

    public IReadOnlyDictionary<string, string> Labels(string role = "test") => HarnessLabels.For(SessionId, role);

    /// <summary>A name no other test or session uses.</summary>
    public string Name(string what) => $"mdv-{SessionId}-{what}";

    /// <summary>Creates and starts a `sleep` container from the test image, labelled for this session.</summary>
    public async Task<string> RunSleeperAsync(string what, CancellationToken cancellationToken, Func<ContainerDefinition, ContainerDefinition>? customise = null)
    {
        await DockerTestSupport.RequireTestImageAsync(Docker, cancellationToken);
        var spec = new ContainerDefinition(Name(what), DockerTestSupport.TestImage)
        {
            Cmd = ["sleep", "300"],
            Labels = Labels(),
        };
        var id = await Docker.Containers.CreateAsync(customise?.Invoke(spec) ?? spec, cancellationToken);
        await Docker.Containers.StartAsync(id, cancellationToken);
        return id;
    }

    /// <summary>
    /// Creates a network on a random private subnet, retrying when it overlaps one in use
    /// (other sessions, VPNs). IPv4 from 10.213.0.0/16, IPv6 from the ULA range fd00:dc::/32.
    /// </summary>
    public async Task<(string Name, NetworkSubnet Ipv4, NetworkSubnet? Ipv6)> CreateNetworkAsync(string what, bool dualStack, CancellationToken cancellationToken)
    {
        var name = Name(what);
        for (var attempt = 1; ; attempt++)
        {
            var third = Random.Shared.Next(0, 256);
            var ipv4 = new NetworkSubnet($"10.213.{third}.0/24", $"10.213.{third}.1");
            var ipv6 = dualStack
                ? new NetworkSubnet(string.Create(CultureInfo.InvariantCulture, $"fd00:dc:{Random.Shared.Next(1, 0xffff):x}::/64"), null)
                : null;
            try
            {
                await Docker.Networks.CreateAsync(
                    new NetworkDefinition(name) { Subnets = ipv6 is null ? [ipv4] : [ipv4, ipv6], Labels = Labels() },
                    cancellationToken);
                return (name, ipv4, ipv6);
            }
            catch (DockerSubnetOverlapException) when (attempt < 10)
            {
                // Another network holds this range; draw again.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            // Cleanup must run even when the test's token was cancelled.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await new DockerSweeper(Docker).SweepSessionAsync(SessionId, timeout.Token);
        }
        finally
        {
            Docker.Dispose();
        }
    }
}
