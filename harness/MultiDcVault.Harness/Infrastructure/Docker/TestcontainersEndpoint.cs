using Docker.DotNet;
using Docker.DotNet.Handler.Abstractions;
using DotNet.Testcontainers.Configurations;

namespace MultiDcVault.Harness.Infrastructure.Docker;

/// <summary>
/// Hands Testcontainers the engine this client found and the version it negotiated. Testcontainers
/// would otherwise discover the engine on its own and pin API 1.44 (testcontainers-dotnet 4.16.0,
/// DockerEndpointAuthenticationConfiguration.cs), which engines before Docker 25 refuse.
/// </summary>
internal sealed class TestcontainersEndpoint(DockerEndpoint endpoint, DockerApiVersion apiVersion) : IDockerEndpointAuthenticationConfiguration
{
    public Version Version { get; } = new(apiVersion.Major, apiVersion.Minor);

    public Uri Endpoint { get; } = endpoint.ToUri();

    public IAuthProvider? AuthProvider => null;

    public DockerClientBuilder GetDockerClientBuilder(Guid sessionId = default) =>
        DockerClientBuilders.For(endpoint, Version).WithHeader("x-tc-sid", sessionId.ToString("D"));
}
