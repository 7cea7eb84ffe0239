using FluentAssertions;
using MultiDcVault.Harness.Infrastructure.Docker;
using Xunit;

namespace MultiDcVault.Harness.Tests.Infrastructure.Docker;

/// <summary>Every endpoint source, each exercised against a temporary home and socket directory.</summary>
public sealed class DockerEndpointResolverTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mdv-resolver-").FullName;
    private readonly Dictionary<string, string?> _variables = new(StringComparer.Ordinal);

    private string Home => Path.Combine(_root, "home");

    private string DefaultSocket => Path.Combine(_root, "var-run", "docker.sock");

    private string RunUser => Path.Combine(_root, "run-user");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Docker_host_unix_socket_is_used_as_given_even_before_the_socket_exists()
    {
        _variables["DOCKER_HOST"] = "unix:///somewhere/else/docker.sock";
        Touch(DefaultSocket);

        var resolution = Resolver().Resolve();

        resolution.Endpoint.Kind.Should().Be(DockerTransportKind.UnixSocket);
        resolution.Endpoint.Address.Should().Be("/somewhere/else/docker.sock");
        resolution.Endpoint.Source.Should().Be("DOCKER_HOST");
    }

    [Theory]
    [InlineData("tcp://127.0.0.1:2376", "127.0.0.1", 2376)]
    [InlineData("tcp://docker.internal", "docker.internal", 2375)]
    public void Docker_host_tcp_gives_host_and_port(string dockerHost, string host, int port)
    {
        _variables["DOCKER_HOST"] = dockerHost;

        var endpoint = Resolver().Resolve().Endpoint;

        endpoint.Kind.Should().Be(DockerTransportKind.Tcp);
        endpoint.Address.Should().Be(host);
        endpoint.Port.Should().Be(port);
    }

    [Fact]
    public void Docker_host_tcp_with_tls_verify_is_refused_with_a_clear_reason()
    {
        _variables["DOCKER_HOST"] = "tcp://127.0.0.1:2376";
        _variables["DOCKER_TLS_VERIFY"] = "1";

        var act = () => Resolver().Resolve();

        act.Should().Throw<DockerUnavailableException>()
            .WithMessage("*DOCKER_TLS_VERIFY is set*not TLS*Unset DOCKER_TLS_VERIFY*");
    }

    [Fact]
    public void Docker_host_with_an_unsupported_scheme_is_refused_naming_the_value()
    {
        _variables["DOCKER_HOST"] = "ssh://me@build-box";

        var act = () => Resolver().Resolve();

        act.Should().Throw<DockerUnavailableException>().WithMessage("*ssh://me@build-box*not supported*");
    }

    [Fact]
    public void Docker_context_variable_selects_the_context_meta_by_sha256_of_its_name()
    {
        _variables["DOCKER_CONTEXT"] = "colima";
        WriteContextMeta(Path.Combine(Home, ".docker"), "colima", "unix:///home/me/.colima/default/docker.sock");
        Touch(DefaultSocket);

        var endpoint = Resolver().Resolve().Endpoint;

        endpoint.Address.Should().Be("/home/me/.colima/default/docker.sock");
        endpoint.Source.Should().Be("docker context 'colima'");
    }

    [Fact]
    public void Current_context_in_config_json_is_used_and_docker_config_overrides_the_directory()
    {
        var configDirectory = Path.Combine(_root, "custom-docker-config");
        _variables["DOCKER_CONFIG"] = configDirectory;
        Directory.CreateDirectory(configDirectory);
        File.WriteAllText(Path.Combine(configDirectory, "config.json"), """{"auths":{},"currentContext":"remote"}""");
        WriteContextMeta(configDirectory, "remote", "tcp://10.1.2.3:2375");

        var endpoint = Resolver().Resolve().Endpoint;

        endpoint.Kind.Should().Be(DockerTransportKind.Tcp);
        endpoint.Address.Should().Be("10.1.2.3");
    }

    [Fact]
    public void Current_context_in_the_home_config_json_is_used_without_docker_config()
    {
        var dockerDirectory = Path.Combine(Home, ".docker");
        Directory.CreateDirectory(dockerDirectory);
        File.WriteAllText(Path.Combine(dockerDirectory, "config.json"), """{"currentContext":"desktop-linux"}""");
        WriteContextMeta(dockerDirectory, "desktop-linux", "unix:///home/me/.docker/desktop/docker.sock");

        Resolver().Resolve().Endpoint.Address.Should().Be("/home/me/.docker/desktop/docker.sock");
    }

    [Fact]
    public void Default_context_means_the_default_socket()
    {
        _variables["DOCKER_CONTEXT"] = "default";
        Touch(DefaultSocket);

        Resolver().Resolve().Endpoint.Address.Should().Be(DefaultSocket);
    }

    [Fact]
    public void A_named_context_that_does_not_exist_is_refused_like_the_docker_cli_does_not_replaced_by_the_default_socket()
    {
        // docker CLI 28.2.2 here: `DOCKER_CONTEXT=nope docker ps` fails with 'context "nope": context not found: open .../meta.json'.
        _variables["DOCKER_CONTEXT"] = "gone";
        Touch(DefaultSocket);

        var resolve = () => Resolver().Resolve();

        var error = resolve.Should().Throw<DockerUnavailableException>().Which;
        error.Problem.Should().Contain("docker context 'gone' (from DOCKER_CONTEXT) does not exist");
        var expectedMeta = Path.Combine(Home, ".docker", "contexts", "meta", DockerEndpointResolver.ContextDirectoryName("gone"), "meta.json");
        error.PlacesLooked.Should().Contain(p => p.Contains(expectedMeta, StringComparison.Ordinal));
    }

    [Fact]
    public void Context_directory_name_is_the_lowercase_sha256_hex_of_the_name()
    {
        // Expected values computed with `printf %s <name> | sha256sum`.
        DockerEndpointResolver.ContextDirectoryName("colima").Should().Be("f24fd3749c1368328e2b149bec149cb6795619f244c5b584e844961215dadd16");
        DockerEndpointResolver.ContextDirectoryName("desktop-linux").Should().Be("fe9c6bd7a66301f49ca9b6a70b217107cd1284598bfc254700c989b916da791e");
    }

    [Fact]
    public void Default_socket_is_preferred_over_rootless_sockets()
    {
        _variables["XDG_RUNTIME_DIR"] = Path.Combine(_root, "xdg");
        Touch(Path.Combine(_root, "xdg", "docker.sock"));
        Touch(DefaultSocket);

        Resolver().Resolve().Endpoint.Address.Should().Be(DefaultSocket);
    }

    [Theory]
    [InlineData("xdg")]
    [InlineData("run-user")]
    [InlineData("home-run")]
    [InlineData("home-desktop")]
    public void Each_rootless_location_is_found_on_its_own(string location)
    {
        _variables["XDG_RUNTIME_DIR"] = Path.Combine(_root, "xdg");
        var socket = RootlessSocket(location);
        Touch(socket);

        var endpoint = Resolver().Resolve().Endpoint;

        endpoint.Kind.Should().Be(DockerTransportKind.UnixSocket);
        endpoint.Address.Should().Be(socket);
    }

    [Fact]
    public void Rootless_locations_are_tried_in_order()
    {
        _variables["XDG_RUNTIME_DIR"] = Path.Combine(_root, "xdg");
        foreach (var location in new[] { "run-user", "home-run", "home-desktop" })
        {
            Touch(RootlessSocket(location));
        }

        Resolver().Resolve().Endpoint.Address.Should().Be(RootlessSocket("run-user"));
        File.Delete(RootlessSocket("run-user"));
        Resolver().Resolve().Endpoint.Address.Should().Be(RootlessSocket("home-run"));
        File.Delete(RootlessSocket("home-run"));
        Resolver().Resolve().Endpoint.Address.Should().Be(RootlessSocket("home-desktop"));
    }

    [Fact]
    public void Nothing_found_lists_every_place_and_how_to_start_docker()
    {
        _variables["XDG_RUNTIME_DIR"] = Path.Combine(_root, "xdg");

        var act = () => Resolver().Resolve();

        var error = act.Should().Throw<DockerUnavailableException>().Which;
        error.PlacesLooked.Should().HaveCount(7);
        error.Message.Should()
            .Contain("DOCKER_HOST: not set")
            .And.Contain(DefaultSocket)
            .And.Contain(RootlessSocket("xdg"))
            .And.Contain(RootlessSocket("run-user"))
            .And.Contain(RootlessSocket("home-run"))
            .And.Contain(RootlessSocket("home-desktop"))
            .And.Contain("sudo systemctl start docker")
            .And.Contain("Docker Desktop")
            .And.Contain("DOCKER_HOST");
    }

    private string RootlessSocket(string location) => location switch
    {
        "xdg" => Path.Combine(_root, "xdg", "docker.sock"),
        "run-user" => Path.Combine(RunUser, "1234", "docker.sock"),
        "home-run" => Path.Combine(Home, ".docker", "run", "docker.sock"),
        "home-desktop" => Path.Combine(Home, ".docker", "desktop", "docker.sock"),
        _ => throw new ArgumentOutOfRangeException(nameof(location)),
    };

    private DockerEndpointResolver Resolver() =>
        new(new DockerHostEnvironment(name => _variables.GetValueOrDefault(name), Home, 1234, DefaultSocket, RunUser));

    private static void Touch(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, string.Empty);
    }

    private static void WriteContextMeta(string dockerConfigDirectory, string name, string host)
    {
        var directory = Path.Combine(dockerConfigDirectory, "contexts", "meta", DockerEndpointResolver.ContextDirectoryName(name));
        Directory.CreateDirectory(directory);
        File.WriteAllText(
            Path.Combine(directory, "meta.json"),
            System.Text.Json.JsonSerializer.Serialize(new { Name = name, Metadata = new { Description = "test" }, Endpoints = new { docker = new { Host = host, SkipTLSVerify = false } } }));
    }
}
