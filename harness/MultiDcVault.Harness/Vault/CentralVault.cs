using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MultiDcVault.Harness.Secrets;

namespace MultiDcVault.Harness.Vault;

/// <summary>
/// The central Vault: a dev-mode container on the shared network that is the transit KMS for the in-cluster
/// Vaults' auto-unseal and the KV store where bank-vaults keeps recovery keys and the root token.
/// Every fresh start gets a new random root token; bank-vaults refuses to overwrite keys, so a fresh
/// environment always needs a fresh central Vault.
/// </summary>
public sealed partial class CentralVault : IAsyncDisposable
{
    public const string RootTokenKey = "vault-root";

    private const string DevListenAddress = "0.0.0.0:8200";
    private const string SessionLabel = "io.multidc-vault.session";
    private const string RoleLabel = "io.multidc-vault.role";
    private const string TokenAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private readonly ICentralVaultContainerHost _host;
    private readonly VaultClient _client;
    private readonly UnsealKeysLocation _keys;

    private CentralVault(
        ICentralVaultContainerHost host,
        CentralVaultOptions options,
        CentralVaultContainerInfo container,
        SecretValue rootToken,
        SecretValue transitToken,
        bool reused)
    {
        _host = host;
        _keys = UnsealKeysLocation.Parse(options.UnsealKeysPath);
        Options = options;
        ContainerId = container.ContainerId;
        InNetworkAddress = new Uri($"http://{container.NetworkIp}:8200");
        HostAddress = container.HostAddress;
        RootToken = rootToken;
        TransitToken = transitToken;
        Reused = reused;
        _client = CreateClient(options, container.HostAddress, rootToken);
    }

    public CentralVaultOptions Options { get; }

    public string ContainerName => Options.ContainerName;

    public string ContainerId { get; }

    /// <summary>What kind nodes and pods use: http://&lt;network IP&gt;:8200.</summary>
    public Uri InNetworkAddress { get; }

    /// <summary>What this process uses.</summary>
    public Uri HostAddress { get; }

    /// <summary>The dev root token, random per fresh start. Never put it into manifests.</summary>
    public SecretValue RootToken { get; }

    /// <summary>Orphan periodic token for the in-cluster Vaults: seal "transit" token and unsealConfig.vault.token.</summary>
    public SecretValue TransitToken { get; }

    public string TransitKeyName => Options.TransitKeyName;

    public string TransitMountPath => Options.TransitMountPath;

    /// <summary>Value for unsealConfig.vault.unsealKeysPath.</summary>
    public string UnsealKeysPath => _keys.UnsealKeysPath;

    /// <summary>True when a running container from an earlier run was adopted instead of started.</summary>
    public bool Reused { get; }

    /// <summary>What a later run needs to call <see cref="ReuseOrStartAsync"/> with.</summary>
    public CentralVaultState State => new(ContainerName, RootToken, TransitToken);

    public static string ContainerNameFor(string session)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(session);
        return $"multidc-{session}-central-vault";
    }

    /// <summary>
    /// Adopts the running central Vault of this session when <paramref name="previous"/> still authenticates
    /// against it; otherwise removes any leftover container and starts and configures a fresh one.
    /// </summary>
    public static async Task<CentralVault> ReuseOrStartAsync(
        ICentralVaultContainerHost host,
        CentralVaultOptions options,
        CentralVaultState? previous = null,
        TimeProvider? timeProvider = null,
        ILogger? logger = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(options);
        timeProvider ??= TimeProvider.System;
        logger ??= NullLogger.Instance;
        UnsealKeysLocation.Parse(options.UnsealKeysPath); // fail before anything is created

        var name = options.ContainerName;
        var running = await host.FindRunningAsync(name, cancellationToken);
        if (running is not null)
        {
            if (previous is not null && previous.ContainerName == name
                && await TokensStillValidAsync(options, running, previous, cancellationToken))
            {
                LogReusing(logger, name, running.HostAddress);
                return new CentralVault(host, options, running, previous.RootToken, previous.TransitToken, reused: true);
            }

            LogReplacing(logger, name);
            await host.RemoveAsync(name, cancellationToken);
        }

        return await StartFreshAsync(host, options, timeProvider, logger, cancellationToken);
    }

    /// <summary>The in-cluster Vault's root token that bank-vaults stored, or null when it is not there yet.</summary>
    public async Task<SecretValue?> TryReadRootTokenAsync(CancellationToken cancellationToken = default)
    {
        var secret = await _client.ReadKvAsync(_keys.Mount, _keys.SecretPathOf(RootTokenKey), cancellationToken);
        var encoded = secret?.GetString(RootTokenKey);
        if (encoded is null)
        {
            return null;
        }

        string token;
        try
        {
            token = Encoding.UTF8.GetString(Convert.FromBase64String(encoded)).Trim();
        }
        catch (FormatException ex)
        {
            throw new InvalidDataException(
                $"The value at {UnsealKeysPath}/{RootTokenKey} in the central Vault is not base64 as bank-vaults writes it; " +
                "was it written by something else?", ex);
        }

        if (token.Length == 0)
        {
            return null;
        }

        var value = new SecretValue(token);
        Redactor.Default.Register(value);
        return value;
    }

    /// <summary>The in-cluster Vault's root token that bank-vaults stored; throws while it is absent.</summary>
    public async Task<SecretValue> ReadRootTokenAsync(CancellationToken cancellationToken = default) =>
        await TryReadRootTokenAsync(cancellationToken)
        ?? throw new InvalidOperationException(
            $"bank-vaults has not initialised the leader yet: there is no '{RootTokenKey}' at {UnsealKeysPath}/{RootTokenKey} " +
            $"in the central Vault ({HostAddress}). Wait for the primary cluster's Vault pod to be initialised, or check the " +
            "bank-vaults container logs of that pod for errors writing to the central Vault.");

    /// <summary>Removes the container. The in-cluster Vaults can no longer unseal after this.</summary>
    public async Task RemoveAsync(CancellationToken cancellationToken = default) =>
        await _host.RemoveAsync(ContainerName, cancellationToken);

    /// <summary>Releases the HTTP client only; the container keeps running (see <see cref="RemoveAsync"/>).</summary>
    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    public override string ToString() => $"central Vault {ContainerName} at {InNetworkAddress} (host: {HostAddress})";

    /// <summary>A dev root token id: random, and shaped like a service token so the Redactor also catches it.</summary>
    internal static SecretValue NewRootToken() =>
        new("hvs." + RandomNumberGenerator.GetString(TokenAlphabet, 32));

    private static async Task<CentralVault> StartFreshAsync(
        ICentralVaultContainerHost host,
        CentralVaultOptions options,
        TimeProvider timeProvider,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        var rootToken = NewRootToken();
        Redactor.Default.Register(rootToken);
        var spec = new CentralVaultContainerSpec(
            options.ContainerName,
            options.Image,
            options.Network,
            new Dictionary<string, string> { ["VAULT_DEV_LISTEN_ADDRESS"] = DevListenAddress },
            new Dictionary<string, SecretValue> { ["VAULT_DEV_ROOT_TOKEN_ID"] = rootToken },
            ["IPC_LOCK"],
            new Dictionary<string, string> { [SessionLabel] = options.Session, [RoleLabel] = "central-vault" });

        LogStarting(logger, options.ContainerName, options.Image, options.Network);
        var container = await host.StartAsync(spec, cancellationToken);
        using var client = CreateClient(options, container.HostAddress, rootToken);
        await WaitUntilActiveAsync(host, client, options, timeProvider, cancellationToken);
        var transitToken = await ConfigureAsync(client, options, cancellationToken);
        LogReady(logger, options.ContainerName, container.HostAddress);
        return new CentralVault(host, options, container, rootToken, transitToken, reused: false);
    }

    /// <summary>Transit key + two narrow policies + one orphan periodic token carrying both.</summary>
    private static async Task<SecretValue> ConfigureAsync(VaultClient client, CentralVaultOptions options, CancellationToken cancellationToken)
    {
        var keys = UnsealKeysLocation.Parse(options.UnsealKeysPath);
        await client.EnableMountAsync(
            options.TransitMountPath,
            new MountRequest("transit") { Description = "multidc auto-unseal KMS" },
            cancellationToken);
        await client.CreateTransitKeyAsync(options.TransitMountPath, options.TransitKeyName, cancellationToken: cancellationToken);
        await client.WritePolicyAsync(
            CentralVaultPolicies.AutoUnsealPolicyName,
            CentralVaultPolicies.AutoUnseal(options.TransitMountPath, options.TransitKeyName),
            cancellationToken);
        await client.WritePolicyAsync(CentralVaultPolicies.UnsealKeysPolicyName, CentralVaultPolicies.UnsealKeys(keys), cancellationToken);
        return await client.CreateOrphanPeriodicTokenAsync(
            new OrphanTokenRequest
            {
                Policies = [CentralVaultPolicies.AutoUnsealPolicyName, CentralVaultPolicies.UnsealKeysPolicyName],
                Period = options.TokenPeriod,
                DisplayName = "multidc-in-cluster-vaults",
            },
            cancellationToken);
    }

    private static async Task WaitUntilActiveAsync(
        ICentralVaultContainerHost host,
        VaultClient client,
        CentralVaultOptions options,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        string lastSeen = "no answer yet";
        while (true)
        {
            try
            {
                var health = await client.GetHealthAsync(cancellationToken);
                if (health.State == VaultNodeState.Active)
                {
                    return;
                }

                lastSeen = $"sys/health reports {health.State}";
            }
            catch (VaultException ex)
            {
                // Not listening yet, or answering oddly while starting: keep polling until the deadline.
                lastSeen = ex.Message;
            }

            var exited = await host.FindRunningAsync(options.ContainerName, cancellationToken) is null;
            if (exited || timeProvider.GetElapsedTime(started) >= options.StartupTimeout)
            {
                var problem = exited
                    ? "exited before it became ready"
                    : $"did not become an active, unsealed Vault within {options.StartupTimeout.TotalSeconds:0} s";
                var logs = await TryGetLogsAsync(host, options.ContainerName, cancellationToken);
                throw new TimeoutException(Redactor.Default.Redact(
                    $"The central Vault container {options.ContainerName} (image {options.Image}) {problem} at {client.Address}. " +
                    $"Last observation: {lastSeen}. " +
                    $"Check that the image runs 'vault server -dev' and that this address is reachable from here. Container logs (tail):{Environment.NewLine}{logs}"));
            }

            await Task.Delay(options.PollInterval, timeProvider, cancellationToken);
        }
    }

    private static async Task<string> TryGetLogsAsync(ICentralVaultContainerHost host, string name, CancellationToken cancellationToken)
    {
        try
        {
            var logs = await host.GetLogsAsync(name, cancellationToken);
            var lines = logs.Split('\n');
            return string.Join('\n', lines.TakeLast(40));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return $"(could not read logs: {ex.Message})";
        }
    }

    private static async Task<bool> TokensStillValidAsync(
        CentralVaultOptions options,
        CentralVaultContainerInfo running,
        CentralVaultState previous,
        CancellationToken cancellationToken)
    {
        try
        {
            using var root = CreateClient(options, running.HostAddress, previous.RootToken);
            using var transit = CreateClient(options, running.HostAddress, previous.TransitToken);
            return await root.IsTokenValidAsync(cancellationToken) && await transit.IsTokenValidAsync(cancellationToken);
        }
        catch (VaultException)
        {
            return false;
        }
    }

    private static VaultClient CreateClient(CentralVaultOptions options, Uri address, SecretValue token) =>
        new(new VaultClientOptions
        {
            Address = address,
            Token = token,
            // Dev mode serves plain http; any https address would use the system trust store.
            Tls = VaultTls.SystemTrust,
            RequestTimeout = options.RequestTimeout,
        });

    [LoggerMessage(Level = LogLevel.Information, Message = "Reusing central Vault {Name} at {Address}")]
    private static partial void LogReusing(ILogger logger, string name, Uri address);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Central Vault {Name} from an earlier run is running but its tokens are unknown or invalid; replacing it with a fresh one")]
    private static partial void LogReplacing(ILogger logger, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Starting central Vault {Name} from {Image} on network {Network}")]
    private static partial void LogStarting(ILogger logger, string name, string image, string network);

    [LoggerMessage(Level = LogLevel.Information, Message = "Central Vault {Name} is configured at {Address}")]
    private static partial void LogReady(ILogger logger, string name, Uri address);
}
