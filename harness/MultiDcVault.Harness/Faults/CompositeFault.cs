namespace MultiDcVault.Harness.Faults;

/// <summary>
/// Several faults in place at once, as one (e.g. two datacenters paused: quorum loss). Injects in order; heals in
/// reverse order, trying every part even when one fails, so a half-injected composite is still undone completely.
/// </summary>
internal sealed class CompositeFault : IFault
{
    private readonly IReadOnlyList<IFault> _parts;

    public CompositeFault(IReadOnlyList<IFault> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0)
        {
            throw new ArgumentException("A composite fault needs at least one part.", nameof(parts));
        }

        _parts = parts;
    }

    public IReadOnlyList<IFault> Parts => _parts;

    public string Description => string.Join(" + ", _parts.Select(p => p.Description));

    public string Mechanism => string.Join("; ", _parts.Select(p => p.Mechanism));

    public async Task InjectAsync(CancellationToken cancellationToken)
    {
        foreach (var part in _parts)
        {
            await part.InjectAsync(cancellationToken);
        }
    }

    public async Task HealAsync(CancellationToken cancellationToken)
    {
        var failures = new List<Exception>();
        foreach (var part in _parts.Reverse())
        {
            try
            {
                await part.HealAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failures.Add(ex);
            }
        }

        if (failures.Count == 1)
        {
            throw failures[0];
        }

        if (failures.Count > 1)
        {
            throw new AggregateException($"Healing {Description} failed in {failures.Count} parts.", failures);
        }
    }
}
