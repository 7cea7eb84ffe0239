namespace MultiDcVault.Harness.Scenarios;

/// <summary>One scenario of the catalogue: a name, one line for <c>multidc scenario list</c>, its variants, and how it runs.</summary>
internal interface IScenario
{
    string Name { get; }

    string Summary { get; }

    /// <summary>The variants, in the order a run without --variant takes them; empty when there is just one way to run it.</summary>
    IReadOnlyList<string> Variants { get; }

    /// <summary>Runs one variant ("" when the scenario has none) and reports what held; throws only when it cannot start.</summary>
    Task<ScenarioResult> RunAsync(ScenarioContext context, ScenarioRequest request, string variant, IProgress<string>? progress, CancellationToken cancellationToken);
}
