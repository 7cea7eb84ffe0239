namespace MultiDcVault.Harness.Environment;

/// <summary>
/// The full heal's attach (`multidc heal`): like <see cref="IMultiDcEnvironment.TryAttachAsync"/>, but a central Vault container left
/// stopped (a KMS outage or a power cycle a process did not finish) is started first, since attaching needs its API; the heal's
/// power-cycle step then confirms it is unsealed and starts stopped node containers.
/// </summary>
internal interface IHealAttach
{
    Task<EnvironmentHandle?> TryAttachForHealAsync(CancellationToken cancellationToken);
}
