namespace MultiDcVault.Harness.Faults;

/// <summary>
/// Undoes every kind of fault in <see cref="FaultCatalogue"/>, in its order. A failing step does not stop the
/// others, and every step tolerates "already healed", so running it twice is harmless.
/// </summary>
internal sealed class FullHeal(FaultHealContext context, Func<Exception, string> describe)
{
    /// <summary>Runs every step; returns one line per step ("ok" or what failed).</summary>
    public async Task<IReadOnlyList<HealStep>> RunAsync(CancellationToken cancellationToken)
    {
        var steps = new List<HealStep>();
        foreach (var action in FaultCatalogue.All.SelectMany(kind => kind.HealAll(context)))
        {
            steps.Add(await StepAsync(action, cancellationToken));
        }

        return steps;
    }

    private async Task<HealStep> StepAsync(HealAction action, CancellationToken cancellationToken)
    {
        try
        {
            await action.RunAsync(cancellationToken);
            return new HealStep(action.Name, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new HealStep(action.Name, describe(ex));
        }
    }
}

/// <summary>One step of a full heal and how it went.</summary>
public sealed record HealStep(string Name, string? Error)
{
    /// <summary>True when the step ran without error.</summary>
    public bool Succeeded => Error is null;

    /// <summary>One line for the console: "[ OK ] name" or "[FAIL] name: error".</summary>
    public override string ToString() => Succeeded ? $"[ OK ] {Name}" : $"[FAIL] {Name}: {Error}";
}
