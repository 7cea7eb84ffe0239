namespace MultiDcVault.Harness.Faults;

/// <summary>
/// A fault that can be injected into the running environment and healed again.
/// HealAsync must be idempotent and safe to call when InjectAsync never ran or failed halfway,
/// because it always runs in a finally block (see <see cref="FaultScope"/>).
/// </summary>
public interface IFault
{
    /// <summary>Short human-readable description for logs and reports, e.g. "partition(secondary)".</summary>
    string Description { get; }

    /// <summary>How the fault is made, for the report, e.g. "docker pause of every node container".</summary>
    string Mechanism { get; }

    /// <summary>Puts the fault in place; may fail halfway, in which case <see cref="HealAsync"/> still undoes what was done.</summary>
    Task InjectAsync(CancellationToken cancellationToken);

    /// <summary>Undoes the fault; idempotent, and safe when <see cref="InjectAsync"/> never ran or failed halfway.</summary>
    Task HealAsync(CancellationToken cancellationToken);
}
