using System.Net;
using Docker.DotNet.Models;
using Engine = Docker.DotNet;

namespace MultiDcVault.Harness.Infrastructure.Docker;

/// <summary>Network operations.</summary>
internal sealed class DockerNetworks
{
    // From API 1.44 the engine always refuses a second network with a taken name (moby/moby#46251
    // deprecated CheckDuplicate); older engines create the duplicate unless the request sets it, and
    // Docker.DotNet's models (Engine API v29) no longer have the field, so we check first ourselves.
    private static readonly DockerApiVersion EngineRefusesDuplicateNames = new(1, 44);

    private readonly Engine.DockerClient _engine;
    private readonly DockerCalls _calls;
    private readonly DockerApiVersion _serverApiVersion;

    internal DockerNetworks(Engine.DockerClient engine, DockerCalls calls, DockerApiVersion serverApiVersion)
    {
        _engine = engine;
        _calls = calls;
        _serverApiVersion = serverApiVersion;
    }

    /// <summary>Inspects a network by name or id; null when it does not exist.</summary>
    public async Task<NetworkResponse?> TryInspectAsync(string nameOrId, CancellationToken cancellationToken)
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

    public Task<NetworkResponse> InspectAsync(string nameOrId, CancellationToken cancellationToken) =>
        _calls.RunAsync($"GET /networks/{nameOrId}", ct => _engine.Networks.InspectNetworkAsync(nameOrId, ct), cancellationToken);

    /// <summary>
    /// Creates a network and returns its id. A taken name throws <see cref="DockerConflictException"/>
    /// (on every engine version), a subnet clash <see cref="DockerSubnetOverlapException"/>.
    /// </summary>
    public async Task<string> CreateAsync(NetworkDefinition spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        const string operation = "POST /networks/create";
        if (_serverApiVersion < EngineRefusesDuplicateNames && await NameTakenAsync(spec.Name, cancellationToken))
        {
            throw new DockerConflictException($"network with name {spec.Name} already exists", operation);
        }

        var parameters = new NetworksCreateParameters
        {
            Name = spec.Name,
            Driver = spec.Driver,
            EnableIPv6 = spec.Ipv6Enabled,
            Internal = spec.Internal,
            IPAM = new IPAM
            {
                Driver = "default",
                Config = [.. spec.Subnets.Select(s => new IPAMConfig { Subnet = s.Subnet, Gateway = s.Gateway! })],
            },
            Labels = spec.Labels.ToDictionary(),
            Options = spec.Options.ToDictionary(),
        };
        var created = await _calls.RunAsync(
            operation,
            ct => _engine.Networks.CreateNetworkAsync(parameters, ct),
            cancellationToken,
            DockerErrors.SubnetOverlap([.. spec.Subnets.Select(s => s.Subnet)]));
        return created.ID;
    }

    /// <summary>Removes a network; returns false when it did not exist.</summary>
    public async Task<bool> RemoveAsync(string nameOrId, CancellationToken cancellationToken)
    {
        try
        {
            await _calls.RunAsync($"DELETE /networks/{nameOrId}", ct => _engine.Networks.DeleteNetworkAsync(nameOrId, ct), cancellationToken);
            return true;
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>Lists networks carrying all the given labels (value null = label present with any value).</summary>
    public async Task<IReadOnlyList<NetworkResponse>> ListAsync(IReadOnlyDictionary<string, string?> labels, CancellationToken cancellationToken) =>
        [.. await _calls.RunAsync(
            "GET /networks",
            ct => _engine.Networks.ListNetworksAsync(new NetworksListParameters { Filters = DockerLabelFilter.Of(labels) }, ct),
            cancellationToken)];

    /// <summary>Attaches a container, optionally at a fixed IPv4 (the network needs a configured subnet for that).</summary>
    public Task ConnectAsync(string network, string container, string? ipv4Address, CancellationToken cancellationToken) =>
        _calls.RunAsync(
            $"POST /networks/{network}/connect",
            ct => _engine.Networks.ConnectNetworkAsync(
                network,
                new NetworkConnectParameters
                {
                    Container = container,
                    EndpointConfig = ipv4Address is null ? null : new EndpointSettings { IPAMConfig = new EndpointIPAMConfig { IPv4Address = ipv4Address } },
                },
                ct),
            cancellationToken);

    public Task DisconnectAsync(string network, string container, bool force, CancellationToken cancellationToken) =>
        _calls.RunAsync(
            $"POST /networks/{network}/disconnect",
            ct => _engine.Networks.DisconnectNetworkAsync(network, new NetworkDisconnectParameters { Container = container, Force = force }, ct),
            cancellationToken);

    // The name filter matches substrings, so compare exactly.
    private async Task<bool> NameTakenAsync(string name, CancellationToken cancellationToken)
    {
        var filters = new Dictionary<string, IDictionary<string, bool>> { ["name"] = new Dictionary<string, bool> { [name] = true } };
        var networks = await _calls.RunAsync(
            "GET /networks",
            ct => _engine.Networks.ListNetworksAsync(new NetworksListParameters { Filters = filters }, ct),
            cancellationToken);
        return networks.Any(n => string.Equals(n.Name, name, StringComparison.Ordinal));
    }
}
