using MultiDcVault.Harness.Scenarios.PowerCycle;
using MultiDcVault.Harness.Scenarios.QuorumLoss;
using MultiDcVault.Harness.Scenarios.RollingUpgrade;
using MultiDcVault.Harness.Scenarios.Soak;

namespace MultiDcVault.Harness.Scenarios;

/// <summary>Every scenario, in the order <c>multidc scenario list</c> shows them; a new scenario is registered here.</summary>
internal static class ScenarioCatalogue
{
    public static IReadOnlyList<IScenario> All { get; } = [new QuorumLossScenario(), new PowerCycleScenario(), new RollingUpgradeScenario(), new SoakScenario()];

    /// <summary>The scenario of that name (case-insensitive), or null.</summary>
    public static IScenario? Find(string name) =>
        All.FirstOrDefault(s => string.Equals(s.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Checks a request against the scenario it names, before anything is contacted: every problem in one line
    /// (an unknown name or variant, an option the scenario does not take, a duration out of range).
    /// </summary>
    /// <exception cref="ArgumentException">The request cannot run; the message is one line.</exception>
    public static IScenario Validate(ScenarioRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var scenario = Find(request.Name)
            ?? throw new ArgumentException($"unknown scenario '{request.Name}': use one of {string.Join(", ", All.Select(s => s.Name))} ('multidc scenario list' describes them)");
        var problems = new List<string>();
        if (request.Variant is { } variant && !scenario.Variants.Contains(variant, StringComparer.Ordinal))
        {
            problems.Add(scenario.Variants.Count == 0
                ? $"{scenario.Name} has no variants, so --variant does not apply"
                : $"unknown variant '{variant}' of {scenario.Name}: use one of {string.Join(", ", scenario.Variants)}");
        }

        if (request.Seed is not null && scenario.Name != SoakScenario.ScenarioName)
        {
            problems.Add($"--seed applies to {SoakScenario.ScenarioName} only");
        }

        if (request.Duration is { } duration)
        {
            if (scenario.Name != SoakScenario.ScenarioName)
            {
                problems.Add($"--minutes applies to {SoakScenario.ScenarioName} only");
            }
            else if (duration < TimeSpan.FromMinutes(1) || duration > TimeSpan.FromHours(24))
            {
                problems.Add($"--minutes must be between 1 and 1440 (got {duration.TotalMinutes:0.##})");
            }
        }

        if (request.ToVaultImage is not null && scenario.Name != RollingUpgradeScenario.ScenarioName)
        {
            problems.Add($"--to-vault-image applies to {RollingUpgradeScenario.ScenarioName} only");
        }

        if (!request.Heal && scenario.Name != QuorumLossScenario.ScenarioName)
        {
            problems.Add($"--no-heal applies to {QuorumLossScenario.ScenarioName} only");
        }

        if (!request.Heal && request.Variant is null && scenario.Variants.Count > 1)
        {
            problems.Add($"--no-heal needs one --variant ({string.Join(" or ", scenario.Variants)}): the next variant cannot start on a cluster left without quorum");
        }

        return problems.Count == 0 ? scenario : throw new ArgumentException(string.Join("; ", problems));
    }

    /// <summary>The variants a request runs: the one asked for, else all of them ("" for a scenario without variants).</summary>
    public static IReadOnlyList<string> VariantsToRun(IScenario scenario, ScenarioRequest request)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(request);
        return request.Variant is { } v ? [v] : scenario.Variants.Count == 0 ? [string.Empty] : scenario.Variants;
    }
}
