using Docker.DotNet;
using Docker.DotNet.LegacyHttp;
using Docker.DotNet.Unix;

namespace MultiDcVault.Harness.Infrastructure.Docker;

/// <summary>The one place a Docker.DotNet client is configured, for our client and for Testcontainers'.</summary>
internal static class DockerClientBuilders
{
    /// <summary>
    /// A builder for the endpoint at the given version (null: unversioned), with the library's own
    /// timeout off (DockerCalls bounds each request) and no HTTP proxy: the library's handler would
    /// otherwise send tcp:// engines through HTTP_PROXY (testcontainers/Docker.DotNet v4.3.3,
    /// src/Microsoft.Net.Http.Client/ManagedHandler.cs: UseProxy defaults to true).
    /// </summary>
    public static DockerClientBuilder For(DockerEndpoint endpoint, Version? apiVersion)
    {
        var builder = new DockerClientBuilder()
            .WithEndpoint(endpoint.ToUri())
            .WithApiVersion(apiVersion)
            .WithTimeout(Timeout.InfiniteTimeSpan);
        return endpoint.Kind == DockerTransportKind.UnixSocket
            ? builder.WithTransportOptions(new UnixSocketTransportOptions { ConfigureHandler = handler => handler.UseProxy = false })
            : builder.WithTransportOptions(new LegacyHttpTransportOptions { ConfigureHandler = handler => handler.UseProxy = false });
    }
}
