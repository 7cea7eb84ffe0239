using System.Globalization;
using System.Text.Json;
using FluentAssertions;
using MultiDcVault.Harness.Orchestration;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Orchestration;

/// <summary>
/// Not a timing test: runs a whole up against scripted steps with realistic durations on a virtual
/// clock, once fully parallel and once one step at a time, and reports both and the critical path.
/// The assertion is on the schedule's structure (its length relative to the sequential sum), which
/// is deterministic on the virtual clock.
/// </summary>
[Trait("Category", "Benchmark")]
public sealed class UpBenchmark
{
    private static readonly StepLatencies Realistic = new(
        KindCreate: TimeSpan.FromSeconds(40),
        ImageLoad: TimeSpan.FromSeconds(5),
        MetalLb: TimeSpan.FromSeconds(20),
        Operator: TimeSpan.FromSeconds(20),
        LoadBalancer: TimeSpan.FromSeconds(15));

    [Fact]
    public async Task Parallel_up_is_bounded_by_its_critical_path_not_by_the_sum_of_steps()
    {
        var parallel = await RunAsync(maxParallelSteps: 0);
        var sequential = await RunAsync(maxParallelSteps: 1);
        var ratio = parallel.TotalSeconds / sequential.TotalSeconds;

        var output = TestContext.Current.TestOutputHelper;
        output?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"parallel up:   {parallel.TotalSeconds:0.0} s (virtual)"));
        output?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sequential up: {sequential.TotalSeconds:0.0} s (virtual)"));
        output?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio:         {ratio:0.00}"));
        output?.WriteLine("critical path: " + string.Join(" -> ", parallel.CriticalPath.Select(p =>
            string.Create(CultureInfo.InvariantCulture, $"{p.Phase}{(p.Cluster is null ? string.Empty : $"[{p.Cluster}]")} {p.DurationSeconds:0}s"))));

        var directory = Path.Combine(AppContext.BaseDirectory, "benchmark-results");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "orchestration-up.json");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(new
        {
            parallelSeconds = parallel.TotalSeconds,
            sequentialSeconds = sequential.TotalSeconds,
            ratio,
            criticalPath = parallel.CriticalPath,
            parallel = parallel.Phases,
            sequential = sequential.Phases,
        }, new JsonSerializerOptions { WriteIndented = true }), TestContext.Current.CancellationToken);
        output?.WriteLine($"report: {path}");

        ratio.Should().BeLessThanOrEqualTo(0.45, "three clusters' pipelines overlap, so only one cluster's chain plus the followers' join is on the critical path");
        sequential.Phases.Should().OnlyContain(p => !sequential.Phases.Any(q => !ReferenceEquals(p, q) && q.StartSeconds < p.EndSeconds - 1e-6 && p.StartSeconds < q.EndSeconds - 1e-6),
            "with one step at a time no two timed steps overlap");
        parallel.CriticalPath.Select(p => p.Phase).Should().ContainInOrder("kind create", "leader vault", "leader initialised", "follower vault");
        parallel.CriticalPath.Count(p => p.Phase == "kind create").Should().Be(1, "the kind creates run side by side, so only one is on the path");
    }

    private static async Task<TimingReport> RunAsync(int maxParallelSteps)
    {
        await using var world = new OrchestrationWorld(Realistic);
        world.CentralVaults.InitialisationDelay = TimeSpan.FromSeconds(30);
        world.Settings = world.Settings with { MaxParallelSteps = maxParallelSteps };
        await using var environment = world.CreateEnvironment();
        await environment.UpAsync(null, TestContext.Current.CancellationToken);
        return TimingReport.Parse(await File.ReadAllTextAsync(Path.Combine(world.WorkDirectory, TimingReport.FileName), TestContext.Current.CancellationToken));
    }
}
