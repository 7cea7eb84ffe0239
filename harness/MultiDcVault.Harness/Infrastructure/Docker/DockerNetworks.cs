using System.Net;

namespace MultiDcVault.Harness.Infrastructure.Docker;

/// <summary>Network operations.</summary>
public sealed class DockerNetworks
{
    private readonly DockerTransport _transport;

    internal DockerNetworks(DockerTransport transport) => _transport = transport;

    /// <summary>Inspects a network by name or id; null when it does not exist.</summary>
    public async Task<DockerNetwork?> TryInspectAsync(string nameOrId, CancellationToken cancellationToken)
    {
        try
        {
            return await InspectAsync(nameOrId, cancellationToken);
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public Task<DockerNetwork> InspectAsync(string nameOrId, CancellationToken cancellationToken) =>
        _transport.GetJsonAsync<DockerNetwork>($"networks/{Uri.EscapeDataString(nameOrId)}", ErrorMap.Default, cancellationToken);

    /// <summary>
    /// Creates a network and returns its id. A taken name throws <see cref="DockerConflictException"/>,
    /// a subnet clash <see cref="DockerSubnetOverlapException"/>.
    /// </summary>
    public async Task<string> CreateAsync(NetworkSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var body = new
        {
            spec.Name,
            // Pre-1.44 daemons only refuse duplicate names when asked; newer ones ignore the flag.
            CheckDuplicate = true,
            spec.Driver,
            EnableIPv6 = spec.Ipv6Enabled,
            spec.Internal,
            IPAM = new
            {
                Driver = "default",
                Config = spec.Subnets.Select(s => new { s.Subnet, s.Gateway }).ToArray(),
            },
            spec.Labels,
            spec.Options,
        };
        var created = await _transport.PostJsonAsync<IdResponse>(
            "networks/create", body, ErrorMap.SubnetOverlap([.. spec.Subnets.Select(s => s.Subnet)]), cancellationToken);
        return created.Id;
    }

    /// <summary>Removes a network; returns false when it did not exist.</summary>
    public async Task<bool> RemoveAsync(string nameOrId, CancellationToken cancellationToken)
    {
        try
        {
            await _transport.SendAsync(HttpMethod.Delete, $"networks/{Uri.EscapeDataString(nameOrId)}", null, ErrorMap.Default, cancellationToken);
            return true;
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>Lists networks carrying all the given labels (value null = label present with any value).</summary>
    public Task<IReadOnlyList<DockerNetwork>> ListAsync(IReadOnlyDictionary<string, string?> labels, CancellationToken cancellationToken) =>
        _transport.GetJsonAsync<IReadOnlyList<DockerNetwork>>(
            "networks?" + DockerLabelFilter.Query(DockerLabelFilter.Selectors(labels)), ErrorMap.Default, cancellationToken);

    /// <summary>Attaches a container, optionally at a fixed IPv4 (the network needs a configured subnet for that).</summary>
    public Task ConnectAsync(string network, string container, string? ipv4Address, CancellationToken cancellationToken) =>
        _transport.SendAsync(
            HttpMethod.Post,
            $"networks/{Uri.EscapeDataString(network)}/connect",
            new
            {
                Container = container,
                EndpointConfig = ipv4Address is null ? null : new { IPAMConfig = new { IPv4Address = ipv4Address } },
            },
            ErrorMap.Default,
            cancellationToken);

    public Task DisconnectAsync(string network, string container, bool force, CancellationToken cancellationToken) =>
        _transport.SendAsync(
            HttpMethod.Post,
            $"networks/{Uri.EscapeDataString(network)}/disconnect",
            new { Container = container, Force = force },
            ErrorMap.Default,
            cancellationToken);
}

internal sealed record IdResponse(string Id);
