using Microsoft.Extensions.Logging;
using MultiDcVault.Harness.Infrastructure.Secrets;
using MultiDcVault.Harness.Planning.Manifests;

namespace MultiDcVault.Harness.Components.Kms;

/// <summary><see cref="ICentralVaultProvider"/> over <see cref="CentralVault"/> and a container host.</summary>
internal sealed class CentralVaultProvider(
    Func<CancellationToken, Task<ICentralVaultContainerHost>> host,
    CentralVaultOptions options,
    TimeProvider timeProvider,
    ILogger logger) : ICentralVaultProvider
{
    public string ContainerName => options.ContainerName;

    public async Task<ICentralVaultSession> StartFreshAsync(string? ipv4Address, CancellationToken cancellationToken) =>
        new Session(await CentralVault.StartFreshAsync(await host(cancellationToken), options, ipv4Address, timeProvider, logger, cancellationToken));

    public async Task<ICentralVaultSession> AttachAsync(CentralVaultState previous, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(previous);
        return new Session(await CentralVault.AttachAsync(await host(cancellationToken), options, previous, timeProvider, logger, cancellationToken));
    }

    public string DataVolumeName => options.DataVolumeName;

    public async Task<bool> StartIfStoppedAsync(CancellationToken cancellationToken)
    {
        var docker = await host(cancellationToken);
        if (await docker.FindRunningAsync(options.ContainerName, cancellationToken) is not null || !await docker.ExistsAsync(options.ContainerName, cancellationToken))
        {
            return false;
        }

        await docker.RestartStoppedAsync(options.ContainerName, cancellationToken);
        return true;
    }

    public async Task<CentralVaultRemoval> RemoveAsync(CancellationToken cancellationToken) =>
        await (await host(cancellationToken)).RemoveAsync(options.ContainerName, options.DataVolumeName, cancellationToken);

    private sealed class Session(CentralVault vault) : ICentralVaultSession
    {
        public string ContainerName => vault.ContainerName;

        public Uri InNetworkAddress => vault.InNetworkAddress;

        public Uri HostAddress => vault.HostAddress;

        public CentralVaultState State => vault.State;

        public bool Reused => vault.Reused;

        public bool FixedAddress => vault.FixedAddress;

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

        public Task StopAsync(CancellationToken cancellationToken) => vault.StopAsync(cancellationToken);

        public Task StartAgainAsync(CancellationToken cancellationToken) => vault.StartAgainAsync(cancellationToken);
    }
}
