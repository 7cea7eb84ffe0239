using Microsoft.Extensions.Logging;
using MultiDcVault.Harness.Manifests;
using MultiDcVault.Harness.Secrets;
using MultiDcVault.Harness.Vault;

namespace MultiDcVault.Harness.Orchestration;

/// <summary><see cref="ICentralVaultProvider"/> over <see cref="CentralVault"/> and a container host.</summary>
public sealed class CentralVaultProvider(
    Func<CancellationToken, Task<ICentralVaultContainerHost>> host,
    CentralVaultOptions options,
    TimeProvider timeProvider,
    ILogger logger) : ICentralVaultProvider
{
    public string ContainerName => options.ContainerName;

    public async Task<ICentralVaultSession> ReuseOrStartAsync(CentralVaultState? previous, CancellationToken cancellationToken)
    {
        var vault = await CentralVault.ReuseOrStartAsync(await host(cancellationToken), options, previous, timeProvider, logger, cancellationToken);
        return new Session(vault);
    }

    public async Task<ICentralVaultSession?> TryAdoptAsync(CentralVaultState previous, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(previous);
        var containerHost = await host(cancellationToken);
        var running = await containerHost.FindRunningAsync(options.ContainerName, cancellationToken);
        if (running is null || previous.ContainerName != options.ContainerName)
        {
            return null;
        }

        // Check the tokens first: ReuseOrStartAsync would replace a central Vault it cannot use,
        // which an attach must never do.
        using var probe = new VaultClient(new VaultClientOptions { Address = running.HostAddress, Token = previous.RootToken, TimeProvider = timeProvider, RequestTimeout = options.RequestTimeout });
        try
        {
            if (!await probe.IsTokenValidAsync(cancellationToken))
            {
                return null;
            }
        }
        catch (VaultException)
        {
            return null;
        }

        return await ReuseOrStartAsync(previous, cancellationToken);
    }

    public async Task<bool> RemoveAsync(CancellationToken cancellationToken)
    {
        var containerHost = await host(cancellationToken);
        var running = await containerHost.FindRunningAsync(options.ContainerName, cancellationToken);
        await containerHost.RemoveAsync(options.ContainerName, cancellationToken);
        return running is not null;
    }

    private sealed class Session(CentralVault vault) : ICentralVaultSession
    {
        public string ContainerName => vault.ContainerName;

        public Uri InNetworkAddress => vault.InNetworkAddress;

        public Uri HostAddress => vault.HostAddress;

        public CentralVaultState State => vault.State;

        public bool Reused => vault.Reused;

        public RuntimeValues RuntimeValues(string? leaderLoadBalancerIp) => new()
        {
            LeaderLoadBalancerIp = leaderLoadBalancerIp,
            CentralVaultAddress = vault.InNetworkAddress.AbsoluteUri.TrimEnd('/'),
            CentralVaultToken = vault.TransitToken,
            UnsealKeysPath = vault.UnsealKeysPath,
            TransitKeyName = vault.TransitKeyName,
            TransitMountPath = vault.TransitMountPath,
        };

        public Task<SecretValue?> TryReadRootTokenAsync(CancellationToken cancellationToken) => vault.TryReadRootTokenAsync(cancellationToken);
    }
}
