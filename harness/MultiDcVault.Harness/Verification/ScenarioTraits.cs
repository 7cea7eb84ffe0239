namespace MultiDcVault.Harness.Verification;

/// <summary>
/// The xUnit trait that names an E2E scenario, so CI can run one scenario in a job of its own (its environment
/// differs, e.g. two Vault images) and leave it out of the others: the E2E tests carry
/// [Trait(ScenarioTraits.Name, ScenarioTraits.RollingUpgrade)], .github/workflows/e2e.yml filters on the same text
/// (E2eWorkflowTests checks both filters).
/// </summary>
internal static class ScenarioTraits
{
    public const string Name = "Scenario";

    /// <summary>The rolling upgrade (RollingUpgradeTests): it changes the environment's Vault image, so it runs alone.</summary>
    public const string RollingUpgrade = "rolling-upgrade";

    /// <summary>The dotnet test --filter that runs only <paramref name="scenario"/>.</summary>
    public static string Only(string scenario) => $"{Name}={scenario}";

    /// <summary>The dotnet test --filter that runs everything but <paramref name="scenario"/> (tests without the trait included).</summary>
    public static string Except(string scenario) => $"{Name}!={scenario}";
}
