using System.Globalization;
using Docker.DotNet.Models;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;
using DotNet.Testcontainers.Containers;
using DotNet.Testcontainers.Images;
using DotNet.Testcontainers.Networks;
using DotNet.Testcontainers.Volumes;
using Microsoft.Extensions.Logging;
using MultiDcVault.Harness.Infrastructure.Docker;
using MultiDcVault.Harness.Planning;
using Xunit;

namespace MultiDcVault.Harness.Tests.TestSupport;

/// <summary>
/// Test scaffolding (peers and subjects whose creation is not what a test checks) through Testcontainers,
/// on the engine and API version the session negotiated. Everything carries the session's labels, so the
/// harness's sweeper sees it and the session's dispose removes what a test left; tests still dispose their
/// objects themselves (<c>await using</c>).
/// </summary>
internal static class TestContainers
{
    /// <summary>
    /// A container builder for the local test image running <c>sleep 3600</c>, named and labelled for the session.
    /// The image is never pulled: there is no registry to pull it from (call RequireTestImageAsync first).
    /// </summary>
    public static ContainerBuilder Builder(DockerTestSession session, string what)
    {
        ArgumentNullException.ThrowIfNull(session);
        return OwnedByTheTest(new ContainerBuilder(DockerTestSupport.TestImage)
            .WithDockerEndpoint(session.Docker.TestcontainersEndpoint)
            .WithImagePullPolicy(PullPolicy.Never)
            .WithName(session.Name(what))
            .WithLabel(session.Labels())
            .WithEntrypoint("sleep")
            .WithCommand("3600")
            .WithLogger(TestOutputLogger.ForCurrentTest()));
    }

    /// <summary>Starts a sleeper from <see cref="Builder"/>, after <paramref name="customise"/>; skips without the test image.</summary>
    public static async Task<IContainer> StartSleeperAsync(
        DockerTestSession session, string what, CancellationToken cancellationToken, Func<ContainerBuilder, ContainerBuilder>? customise = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        await DockerTestSupport.RequireTestImageAsync(session.Docker, cancellationToken);
        var builder = Builder(session, what);
        var container = (customise?.Invoke(builder) ?? builder).Build();
        try
        {
            await container.StartAsync(cancellationToken);
        }
        catch
        {
            await container.DisposeAsync();
            throw;
        }

        return container;
    }

    /// <summary>Joins <paramref name="network"/> at a fixed IPv4 address (the builder has no method for it).</summary>
    public static ContainerBuilder WithIpv4Address(this ContainerBuilder builder, string network, string address)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithNetwork(network).WithCreateParameterModifier(create =>
        {
            if (create.NetworkingConfig?.EndpointsConfig is { } endpoints && endpoints.TryGetValue(network, out var endpoint))
            {
                endpoint.IPAMConfig = new EndpointIPAMConfig { IPv4Address = address };
            }
        });
    }

    /// <summary>
    /// Creates a bridge network on a random private subnet, drawing again when it overlaps one in use
    /// (other sessions, VPNs). IPv4 from 10.214.0.0/16 (DockerTestSession's networks use 10.213/16),
    /// IPv6 from the ULA range fd00:dd::/32.
    /// </summary>
    public static async Task<TestNetwork> CreateNetworkAsync(DockerTestSession session, string what, bool dualStack, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        for (var attempt = 1; ; attempt++)
        {
            var third = Random.Shared.Next(0, 256);
            var ipv4 = new NetworkSubnet($"10.214.{third}.0/24", $"10.214.{third}.1");
            var ipv6 = dualStack
                ? new NetworkSubnet(string.Create(CultureInfo.InvariantCulture, $"fd00:dd:{Random.Shared.Next(1, 0xffff):x}::/64"), null)
                : null;
            var network = OwnedByTheTest(new NetworkBuilder()
                    .WithDockerEndpoint(session.Docker.TestcontainersEndpoint)
                    .WithName(session.Name(what))
                    .WithDriver(NetworkDriver.Bridge)
                    .WithLabel(session.Labels())
                    .WithLogger(TestOutputLogger.ForCurrentTest())
                    .WithCreateParameterModifier(create =>
                    {
                        create.EnableIPv6 = ipv6 is not null;
                        List<IPAMConfig> config = [new IPAMConfig { Subnet = ipv4.Subnet, Gateway = ipv4.Gateway! }];
                        if (ipv6 is not null)
                        {
                            config.Add(new IPAMConfig { Subnet = ipv6.Subnet });
                        }

                        create.IPAM = new IPAM { Config = config };
                    }))
                .Build();
            try
            {
                await network.CreateAsync(cancellationToken);
                return new TestNetwork(network, ipv4, ipv6);
            }
            catch (global::Docker.DotNet.DockerApiException e) when (attempt < 10 && e.ResponseBody?.Contains("overlaps", StringComparison.OrdinalIgnoreCase) == true)
            {
                // Another network holds this range; draw again.
                await network.DisposeAsync();
            }
        }
    }

    /// <summary>A named volume labelled for the session.</summary>
    public static async Task<IVolume> CreateVolumeAsync(DockerTestSession session, string what, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var volume = OwnedByTheTest(new VolumeBuilder()
                .WithDockerEndpoint(session.Docker.TestcontainersEndpoint)
                .WithName(session.Name(what))
                .WithLabel(session.Labels())
                .WithLogger(TestOutputLogger.ForCurrentTest()))
            .Build();
        await volume.CreateAsync(cancellationToken);
        return volume;
    }

    /// <summary>
    /// Makes dispose remove the object. Testcontainers removes on dispose only what carries a reaper session id,
    /// and WithCleanUp(true) gives none when Ryuk is disabled (TESTCONTAINERS_RYUK_DISABLED=true, as in CI): then
    /// a container would only be stopped and a network kept. With Ryuk enabled it also reaps after a crash;
    /// without, a fresh id (no reaper watches it) still gets removal on dispose, and the session labels let the
    /// harness's sweeper find anything a crash left.
    /// </summary>
    private static ContainerBuilder OwnedByTheTest(ContainerBuilder builder) =>
        TestcontainersSettings.ResourceReaperEnabled
            ? builder.WithCleanUp(true)
            : builder.WithLabel(ResourceReaper.ResourceReaperSessionLabel, Guid.NewGuid().ToString("D"));

    private static NetworkBuilder OwnedByTheTest(NetworkBuilder builder) =>
        TestcontainersSettings.ResourceReaperEnabled
            ? builder.WithCleanUp(true)
            : builder.WithLabel(ResourceReaper.ResourceReaperSessionLabel, Guid.NewGuid().ToString("D"));

    private static VolumeBuilder OwnedByTheTest(VolumeBuilder builder) =>
        TestcontainersSettings.ResourceReaperEnabled
            ? builder.WithCleanUp(true)
            : builder.WithLabel(ResourceReaper.ResourceReaperSessionLabel, Guid.NewGuid().ToString("D"));
}

/// <summary>A network a test created through Testcontainers, with the subnets it asked for.</summary>
internal sealed record TestNetwork(INetwork Network, NetworkSubnet Ipv4, NetworkSubnet? Ipv6) : IAsyncDisposable
{
    public string Name => Network.Name;

    public ValueTask DisposeAsync() => Network.DisposeAsync();
}

/// <summary>Testcontainers' log lines go to the test's own output (shown with a failure), never the console.</summary>
internal sealed class TestOutputLogger(ITestOutputHelper? output) : ILogger
{
    public static ILogger ForCurrentTest() => new TestOutputLogger(TestContext.Current.TestOutputHelper);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => output is not null && logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (!IsEnabled(logLevel))
        {
            return;
        }

        try
        {
            output!.WriteLine($"[testcontainers {logLevel}] {formatter(state, exception)}");
        }
        catch (InvalidOperationException)
        {
            // The test has finished (a late dispose); its output is closed.
        }
    }
}
