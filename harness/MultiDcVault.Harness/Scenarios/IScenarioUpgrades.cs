namespace MultiDcVault.Harness.Scenarios;

/// <summary>What the rolling upgrade changes: the image each datacenter's Vault runs (scripted in tests).</summary>
internal interface IScenarioUpgrades
{
    /// <summary>The image every datacenter's Vault CR names now; throws when they differ (an upgrade stopped half-way).</summary>
    Task<string> CurrentImageAsync(CancellationToken cancellationToken);

    /// <summary>Makes <paramref name="image"/> available to every cluster before the first datacenter changes.</summary>
    Task PrepareAsync(string image, IProgress<string>? progress, CancellationToken cancellationToken);

    /// <summary>Changes the datacenter's Vault CR to <paramref name="image"/> and returns once its pod was replaced and is Ready.</summary>
    /// <exception cref="TimeoutException">The new pod did not run the image and become Ready in time.</exception>
    /// <exception cref="InvalidOperationException">The pod was absent or not Ready before the change.</exception>
    Task RollOutAsync(string datacenter, string image, IProgress<string>? progress, CancellationToken cancellationToken);
}
