using System.Diagnostics;
using MultiDcVault.Cli;
using MultiDcVault.Harness.Configuration;
using MultiDcVault.Harness.Environment.Steps;
using MultiDcVault.Harness.Environment;
using MultiDcVault.Harness.Faults;
using MultiDcVault.Harness.Health;
using MultiDcVault.Harness.Infrastructure.Secrets;
using MultiDcVault.Harness.Planning;
using Xunit;

namespace MultiDcVault.Harness.Tests.TestSupport;

/// <summary>Runs the built <c>multidc</c> as a real process, as a person or script would.</summary>
internal static class MultidcProcess
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    public static async Task<Result> RunAsync(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "multidc.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The test process may carry MULTIDC_* settings of its own; the CLI under test must not see them.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MULTIDC_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}

/// <summary>Runs <c>multidc</c> in-process through <see cref="MultiDcVault.Cli.CliApp"/> with fake services and captured streams.</summary>
internal sealed class CliRunner : IDisposable
{
    public CliRunner()
    {
        Directory.CreateDirectory(WorkDirectory);
        Variables["MULTIDC_TOOLS_DIR"] = ToolsDirectory;
        Variables["MULTIDC_WORK_DIR"] = WorkDirectory;
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "multidc-cli-" + Guid.NewGuid().ToString("N"));

    public string WorkDirectory => Path.Combine(Root, "work");

    public string ToolsDirectory => Path.Combine(Root, "tools");

    public Dictionary<string, string> Variables { get; } = [];

    public sealed record Result(int ExitCode, string StandardOutput, string StandardError)
    {
        public string AllOutput => StandardOutput + StandardError;
    }

    public async Task<Result> RunAsync(MultiDcVault.Cli.CliServices services, params string[] arguments)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var console = new MultiDcVault.Cli.CliConsole(output, error, name => Variables.GetValueOrDefault(name));
        var exitCode = await MultiDcVault.Cli.CliApp.RunAsync(arguments, console, services, TestContext.Current.CancellationToken);
        return new Result(exitCode, output.ToString(), error.ToString());
    }

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}

/// <summary>An environment that does what a test tells it to and records every call.</summary>
internal sealed class FakeMultiDcEnvironment(MultiDcVault.Harness.Configuration.MultiDcOptions options) : MultiDcVault.Harness.Environment.IMultiDcEnvironment
{
    public MultiDcVault.Harness.Configuration.MultiDcOptions Options { get; } = options;

    /// <summary>What UpAsync brings up; TryAttachAsync finds it only when <see cref="Running"/>.</summary>
    public MultiDcVault.Harness.Environment.EnvironmentHandle? Handle { get; set; }

    /// <summary>An earlier process brought the environment up (TryAttachAsync returns the handle).</summary>
    public bool Running { get; set; }

    public Exception? UpFailure { get; set; }

    public IReadOnlyList<MultiDcVault.Harness.Environment.Steps.PhaseEvent> PhasesToReport { get; set; } = [];

    public MultiDcVault.Harness.Health.EnvironmentStatus? Status { get; set; }

    public MultiDcVault.Harness.Health.TeardownReport Teardown { get; set; } = new(["primary", "secondary", "tertiary"], ["multidc-central-vault"], ["multidc"], []);

    public string DiagnosticsPath { get; set; } = "/tmp/diagnostics";

    public List<string> Calls { get; } = [];

    public Task<MultiDcVault.Harness.Environment.EnvironmentHandle> UpAsync(IProgress<MultiDcVault.Harness.Environment.Steps.PhaseEvent>? progress, CancellationToken cancellationToken)
    {
        Calls.Add("up");
        foreach (var phase in PhasesToReport)
        {
            progress?.Report(phase);
        }

        return UpFailure is not null ? Task.FromException<MultiDcVault.Harness.Environment.EnvironmentHandle>(UpFailure) : Task.FromResult(Handle!);
    }

    public Task<MultiDcVault.Harness.Environment.EnvironmentHandle?> TryAttachAsync(CancellationToken cancellationToken)
    {
        Calls.Add("attach");
        return Task.FromResult(Running ? Handle : null);
    }

    public Task<MultiDcVault.Harness.Health.TeardownReport> DownAsync(IProgress<MultiDcVault.Harness.Environment.Steps.PhaseEvent>? progress, CancellationToken cancellationToken)
    {
        Calls.Add("down");
        return Task.FromResult(Teardown);
    }

    public Task<MultiDcVault.Harness.Health.EnvironmentStatus> GetStatusAsync(CancellationToken cancellationToken)
    {
        Calls.Add("status");
        return Task.FromResult(Status ?? throw new InvalidOperationException("test set no status"));
    }

    public Task<string> WriteDiagnosticsAsync(string reason, CancellationToken cancellationToken)
    {
        Calls.Add($"diagnostics: {reason}");
        return Task.FromResult(DiagnosticsPath);
    }

    public ValueTask DisposeAsync()
    {
        Calls.Add("dispose");
        return ValueTask.CompletedTask;
    }
}

internal static class CliFakes
{
    /// <summary>A root token shaped like a real one, so a leak would be visible in any output scan.</summary>
    public static readonly string RootToken = TestTokens.Named("CAESIFakeRootTokenForCliTests0123456789abcdef");

    /// <summary>A handle over the default three datacenters with fake node containers and Vault pods.</summary>
    public static MultiDcVault.Harness.Environment.EnvironmentHandle Handle(
        MultiDcVault.Harness.Configuration.MultiDcOptions options,
        string workDirectory,
        MultiDcVault.Harness.Faults.INodeContainers nodes,
        MultiDcVault.Harness.Faults.IVaultPods pods)
    {
        var network = MultiDcVault.Harness.Planning.NetworkLayoutParser.Parse(options.NetworkName, ["172.18.0.0/16"], ["172.18.0.1"], []);
        var plan = MultiDcVault.Harness.Planning.EnvironmentPlanner.Create(options, network);
        var datacenters = plan.Clusters.Select((c, i) => new MultiDcVault.Harness.Health.DatacenterEndpoint(
            c.Name,
            c.Role,
            Path.Combine(workDirectory, c.Name, "kubeconfig"),
            c.Identity.KindContext,
            $"172.18.255.{200 + (8 * i)}",
            new Uri($"https://172.18.255.{200 + (8 * i)}:8200"),
            "-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n",
            [$"{c.Name}-control-plane"])).ToList();
        return new MultiDcVault.Harness.Environment.EnvironmentHandle(
            plan,
            datacenters,
            new Uri("http://172.18.0.2:8200"),
            new Uri("http://127.0.0.1:18200"),
            _ => Task.FromResult(new MultiDcVault.Harness.Infrastructure.Secrets.SecretValue(RootToken)),
            FaultTopologies.ThreeDatacenters(),
            nodes,
            pods,
            workDirectory,
            TimeProvider.System,
            new FakeCentralVaults(TimeProvider.System, options.Session).NewSession(),
            new ScriptedLoadBalancers(datacenters.ToDictionary(d => d.Name, d => (string?)d.LoadBalancerIp)));
    }
}
