using MultiDcVault.Harness.Drills;
using MultiDcVault.Harness.Environment;

namespace MultiDcVault.Harness.Scenarios;

/// <summary>Runs a validated request: each variant in turn against one context, one result per variant.</summary>
internal static class ScenarioRunner
{
    public static async Task<IReadOnlyList<ScenarioResult>> RunAsync(
        ScenarioContext context, ScenarioRequest request, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var scenario = ScenarioCatalogue.Validate(request);
        var results = new List<ScenarioResult>();
        foreach (var variant in ScenarioCatalogue.VariantsToRun(scenario, request))
        {
            progress?.Report($"=== {scenario.Name}{(variant.Length == 0 ? string.Empty : $" ({variant})")} ===");
            results.Add(await scenario.RunAsync(context, request, variant, progress, cancellationToken));
        }

        return results;
    }

    /// <summary>Runs against a running environment: root-token TLS access to every datacenter and the real faults.</summary>
    public static async Task<IReadOnlyList<ScenarioResult>> RunAsync(
        EnvironmentHandle handle, ScenarioRequest request, IProgress<string>? progress, CancellationToken cancellationToken, ScenarioTiming? timing = null)
    {
        ArgumentNullException.ThrowIfNull(handle);
        ScenarioCatalogue.Validate(request);
        using var probe = await VaultNodeProbe.CreateAsync(handle, FailoverDrill.DefaultProbeTimeout, cancellationToken);
        using var upgrades = new EnvironmentScenarioUpgrades(handle);
        var context = new ScenarioContext(probe, probe, new EnvironmentScenarioFaults(handle), handle.TimeProvider, timing ?? new ScenarioTiming())
        {
            Upgrades = upgrades,
        };
        return await RunAsync(context, request, progress, cancellationToken);
    }
}
