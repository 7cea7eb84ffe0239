using System.Diagnostics;
using FluentAssertions;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Cli;

/// <summary>The README's install step, run for real: pack the CLI as a .NET tool, install it, and `multidc` is the command.</summary>
public sealed class DotnetToolInstallTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("multidc-tool-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task The_cli_installs_as_a_dotnet_tool_whose_command_is_multidc()
    {
        var root = SharedDirectory.FindRepositoryRoot();
        Assert.SkipWhen(root is null, "the test binaries run outside the repository, so there is no CLI project to pack.");
        var project = Path.Combine(root!.FullName, "harness", "MultiDcVault.Cli", "MultiDcVault.Cli.csproj");
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var packages = Path.Combine(_dir, "packages");
        var tools = Path.Combine(_dir, "tools");

        // --no-build: the solution's build already made the CLI; packing must not rebuild it under a running test host.
        (await RunAsync("dotnet", ["pack", project, "--no-build", "-c", configuration, "-o", packages])).Should().Be(0);
        (await RunAsync("dotnet", ["tool", "install", "MultiDcVault.Cli", "--tool-path", tools, "--add-source", packages])).Should().Be(0);

        var multidc = Path.Combine(tools, OperatingSystem.IsWindows() ? "multidc.exe" : "multidc");
        File.Exists(multidc).Should().BeTrue("the tool's command is multidc, the name every hint uses");
        var plan = Path.Combine(_dir, "plan");
        (await RunAsync(multidc, ["plan", "--subnet", "172.18.0.0/16", "--out", plan])).Should().Be(0);
        File.Exists(Path.Combine(plan, "plan.json")).Should().BeTrue();
    }

    private static async Task<int> RunAsync(string file, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MULTIDC_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        TestContext.Current.TestOutputHelper?.WriteLine($"$ {file} {string.Join(' ', arguments)}\n{await output}{await error}");
        return process.ExitCode;
    }
}
