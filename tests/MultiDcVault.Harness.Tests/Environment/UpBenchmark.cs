using System.Globalization;
using System.Text.Json;
using FluentAssertions;
using MultiDcVault.Harness.Configuration;
using MultiDcVault.Harness.Environment.Steps;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Environment;

/// <summary>
/// Not a timing test: runs a whole up against scripted steps with realistic durations on a virtual
/// clock, once fully parallel and once one step at a time, and reports both, the critical path, and
/// what 3 datacenters cost over 1. Images are modelled by size: each distinct image is pulled once on
/// the host over one shared download link (pulls queue on it), and each cluster's `kind load`s run side
/// by side with the other clusters'. The assertions are on the schedule's structure, which is
/// deterministic on the virtual clock.
/// </summary>
[Trait("Category", "Benchmark")]
public sealed class UpBenchmark
{
    /// <summary>Assumed image sizes (MB, roughly what `docker save` writes) and rates; the model's inputs, not measurements.</summary>
    private static readonly ImageCosts Images = new(
        new Dictionary<string, double>
        {
            [SupportedVaultVersions.DefaultImage] = 180,
            ["ghcr.io/bank-vaults/bank-vaults:v1.33.1"] = 60,
            ["ghcr.io/bank-vaults/vault-operator:v1.24.0"] = 45,
            ["quay.io/metallb/controller:v0.16.1"] = 30,
            ["quay.io/metallb/speaker:v0.16.1"] = 55,
        },
        DownloadMbPerSecond: 25,
        LoadMbPerSecond: 100,
        LoadOverhead: TimeSpan.FromSeconds(2));

    // MetalLB and the operator no longer include in-node pulls: their images are on the node when they start.
    private static readonly StepLatencies Realistic = new(
        KindCreate: TimeSpan.FromSeconds(40),
        ImageLoad: TimeSpan.FromSeconds(5),
        MetalLb: TimeSpan.FromSeconds(14),
        Operator: TimeSpan.FromSeconds(14),
        LoadBalancer: TimeSpan.FromSeconds(15))
    {
        Images = Images,
    };

    [Fact]
    public async Task Parallel_up_is_bounded_by_its_critical_path_not_by_the_sum_of_steps()
    {
        var parallel = await RunAsync(maxParallelSteps: 0);
        var sequential = await RunAsync(maxParallelSteps: 1);
        var ratio = parallel.TotalSeconds / sequential.TotalSeconds;

        // A one-datacenter bring-up is the leader's own chain: the same host pulls, its own loads,
        // MetalLB, operator, its CR and initialisation, and no joins. (The planner refuses fewer than 3
        // clusters, so it is read off the same run: on the virtual clock the leader's chain does not
        // wait for the other clusters.)
        var leaderReady = parallel.Phases.Single(p => p.Phase == "leader initialised").EndSeconds;
        var threeVersusOne = parallel.TotalSeconds / leaderReady;
        var pulledMb = Images.SizesMb.Values.Sum();
        var loadedPerCluster = parallel.Phases.Count(p => p.Phase.StartsWith("load ", StringComparison.Ordinal) && p.Cluster == "primary");

        var output = TestContext.Current.TestOutputHelper;
        output?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"parallel up:   {parallel.TotalSeconds:0.0} s (virtual)"));
        output?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sequential up: {sequential.TotalSeconds:0.0} s (virtual)"));
        output?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"parallel/sequential: {ratio:0.00}"));
        output?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"1-DC bring-up (leader initialised): {leaderReady:0.0} s; 3-DC/1-DC: {threeVersusOne:0.00} (goal <= 1.3)"));
        output?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pulled on the host: {pulledMb:0} MB once (nodes pulling would be {pulledMb * 3:0} MB); {loadedPerCluster} loads per cluster"));
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
            oneDatacenterSeconds = leaderReady,
            threeVersusOneDatacenter = threeVersusOne,
            imageModel = new { sizesMb = Images.SizesMb, Images.DownloadMbPerSecond, Images.LoadMbPerSecond, loadOverheadSeconds = Images.LoadOverhead.TotalSeconds },
            criticalPath = parallel.CriticalPath,
            parallel = parallel.Phases,
            sequential = sequential.Phases,
        }, new JsonSerializerOptions { WriteIndented = true }), TestContext.Current.CancellationToken);
        output?.WriteLine($"report: {path}");

        ratio.Should().BeLessThanOrEqualTo(0.45, "three clusters' pipelines overlap, so only one cluster's chain plus the followers' join is on the critical path");
        threeVersusOne.Should().BeLessThanOrEqualTo(1.3, "pulls are once per host and loads run side by side, so more datacenters add only the followers' join");
        sequential.Phases.Should().OnlyContain(p => !sequential.Phases.Any(q => !ReferenceEquals(p, q) && q.StartSeconds < p.EndSeconds - 1e-6 && p.StartSeconds < q.EndSeconds - 1e-6),
            "with one step at a time no two timed steps overlap");
        parallel.CriticalPath.Select(p => p.Phase).Should().ContainInOrder("kind create", "leader vault", "leader initialised", "follower vault");
        parallel.CriticalPath.Count(p => p.Phase == "kind create").Should().Be(1, "the kind creates run side by side, so only one is on the path");
        parallel.CriticalPath.Should().NotContain(p => p.Phase.StartsWith("pull ", StringComparison.Ordinal), "the host's pulls finish while the clusters are still being created");
        parallel.Phases.Where(p => p.Phase.StartsWith("pull ", StringComparison.Ordinal)).Should().HaveCount(Images.SizesMb.Count, "one pull per distinct image");
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
