namespace MultiDcVault.Harness.Scenarios;

/// <summary>What a person asked for with <c>multidc scenario run</c> (or an E2E test): checked before anything is contacted.</summary>
/// <param name="Variant">One of the scenario's variants; null runs every variant in turn.</param>
/// <param name="Seed">Soak only: the schedule's seed; null draws one (and prints it first).</param>
/// <param name="Duration">Soak only: how long the schedule runs; null means the default (10 min).</param>
/// <param name="ToVaultImage">Rolling upgrade only: the image to upgrade to; null means the next version of the CI matrix.</param>
/// <param name="Heal">False leaves the last fault in place (quorum loss only), for someone reproducing a bug.</param>
internal sealed record ScenarioRequest(
    string Name,
    string? Variant = null,
    long? Seed = null,
    TimeSpan? Duration = null,
    string? ToVaultImage = null,
    bool Heal = true);
