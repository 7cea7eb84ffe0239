using MultiDcVault.Harness.Clusters.Docker;
using MultiDcVault.Harness.Infrastructure.Docker;
using MultiDcVault.Harness.Planning;

namespace MultiDcVault.Cli.Commands;

/// <summary>Reads the harness network's layout from Docker for <c>multidc plan</c> without <c>--subnet</c>.</summary>
internal static class DockerNetworkReader
{
    /// <exception cref="NetworkUnavailableException">Docker is not reachable or the network does not exist.</exception>
    public static async Task<NetworkLayout> ReadAsync(string networkName, CancellationToken cancellationToken)
    {
        try
        {
            using var docker = await DockerClient.ConnectAsync(cancellationToken);
            if (await docker.Networks.TryInspectAsync(networkName, cancellationToken) is null)
            {
                throw new NetworkUnavailableException(
                    $"Docker network '{networkName}' does not exist: pass --subnet CIDR to plan without it, " +
                    "or choose an existing network with --network / MULTIDC_NETWORK ('multidc up' creates it)");
            }

            var layout = await new DockerNetworkInspector(docker).ReadLayoutAsync(networkName, cancellationToken);
            return layout.Subnets.Count > 0
                ? layout
                : throw new NetworkUnavailableException($"Docker network '{networkName}' has no IPAM subnet to carve pools from: pass --subnet CIDR");
        }
        catch (DockerUnavailableException e)
        {
            throw new NetworkUnavailableException($"a subnet is needed and Docker could not be asked for it: {e.Problem} Pass --subnet CIDR, or start Docker.", e)
            {
                DockerUnreachable = true,
            };
        }
    }
}

/// <summary>The network to plan against could not be read; the message says what to pass instead.</summary>
internal sealed class NetworkUnavailableException : Exception
{
    public NetworkUnavailableException()
    {
    }

    public NetworkUnavailableException(string message)
        : base(message)
    {
    }

    public NetworkUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>True when Docker itself did not answer (a missing prerequisite, not bad input).</summary>
    public bool DockerUnreachable { get; init; }
}
