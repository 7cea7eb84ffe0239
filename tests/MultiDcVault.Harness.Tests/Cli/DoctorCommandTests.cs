using System.Text.Json;
using FluentAssertions;
using MultiDcVault.Cli;
using MultiDcVault.Harness.Preflight;
using MultiDcVault.Harness.Provisioning;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Cli;

/// <summary>doctor: one line per check, JSON for scripts, exit 3 on failures, and --fix installing from a local server.</summary>
public sealed class DoctorCommandTests : IDisposable
{
    // A tool name no test machine has on PATH, so "missing" depends only on the tool cache.
    private const string Tool = "kindfake-4c1e";

    private readonly CliRunner _cli = new();
    private readonly LocalFileServer _server = LocalFileServer.Start();
    private readonly byte[] _binary = ToolArtifacts.Executable(Tool);

    public DoctorCommandTests() => _server.Files[$"v0.1.0/{Tool}-{ToolPlatform.Current.Os}-{ToolPlatform.Current.Architecture}"] = _binary;

    public void Dispose()
    {
        _server.Dispose();
        _cli.Dispose();
    }

    [Fact]
    public async Task Failing_checks_print_one_line_each_with_the_fix_and_exit_3()
    {
        var result = await _cli.RunAsync(Services(pinned: ToolArtifacts.Sha256(_binary)), "doctor");

        result.ExitCode.Should().Be(3);
        result.StandardOutput.Should().Contain("[ OK ] docker: ok.").And.Contain($"[FAIL] {Tool}: not found. Fix: install it")
            .And.Contain("multidc doctor --fix");
        _server.Requests.Should().BeEmpty("doctor without --fix changes nothing");
    }

    [Fact]
    public async Task Json_output_lists_every_check_with_its_status()
    {
        var result = await _cli.RunAsync(Services(pinned: ToolArtifacts.Sha256(_binary)), "doctor", "--output", "json");

        result.ExitCode.Should().Be(3);
        using var json = JsonDocument.Parse(result.StandardOutput);
        json.RootElement.GetProperty("ready").GetBoolean().Should().BeFalse();
        var checks = json.RootElement.GetProperty("checks").EnumerateArray().ToList();
        checks.Select(c => c.GetProperty("name").GetString()).Should().Equal("docker", Tool);
        checks[1].GetProperty("status").GetString().Should().Be("fail");
        checks[1].GetProperty("fix").GetString().Should().Be("install it");
        json.RootElement.GetProperty("installed").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task Fix_installs_the_missing_tool_verified_and_the_rerun_finds_it()
    {
        var result = await _cli.RunAsync(Services(pinned: ToolArtifacts.Sha256(_binary)), "doctor", "--fix", "--output", "json");

        result.ExitCode.Should().Be(0, result.AllOutput);
        using var json = JsonDocument.Parse(result.StandardOutput);
        json.RootElement.GetProperty("ready").GetBoolean().Should().BeTrue();
        var installed = json.RootElement.GetProperty("installed").EnumerateArray().Single();
        installed.GetProperty("path").GetString().Should().Be(Path.Combine(_cli.ToolsDirectory, "bin", Tool));
        installed.GetProperty("checksum").GetString().Should().Be("pinned");
        File.Exists(Path.Combine(_cli.ToolsDirectory, $"{Tool}-v0.1.0", Tool)).Should().BeTrue();
    }

    [Fact]
    public async Task Fix_refuses_a_tampered_download_and_exits_1_with_nothing_installed()
    {
        var result = await _cli.RunAsync(Services(pinned: new string('0', 64)), "doctor", "--fix");

        result.ExitCode.Should().Be(1);
        result.StandardError.Should().Contain("SHA-256").And.Contain("Nothing was installed");
        Directory.Exists(Path.Combine(_cli.ToolsDirectory, $"{Tool}-v0.1.0")).Should().BeFalse();
    }

    private CliServices Services(string pinned) => new()
    {
        ToolCatalog =
        [
            new ToolRelease
            {
                Name = Tool,
                Version = "v0.1.0",
                BaseUrl = new Uri("https://example.invalid/"),
                PathTemplate = "{version}/" + Tool + "-{os}-{arch}",
                ChecksumFileSuffix = ".sha256sum",
                PinnedSha256 = new Dictionary<string, string> { [ToolPlatform.Current.Key] = pinned },
            },
        ],
        ToolBaseUrl = _server.BaseUrl,
        RunPreflight = (resolver, _, _) => Task.FromResult(new PreflightReport(
        [
            PreflightCheck.Ok("docker", "ok."),
            resolver.TryResolve(Tool) is { } path ? PreflightCheck.Ok(Tool, $"found at {path}.") : PreflightCheck.Fail(Tool, "not found.", "install it"),
        ])),
        CreateEnvironment = (_, _) => throw new InvalidOperationException("doctor needs no environment"),
    };
}
