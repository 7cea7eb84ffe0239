using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;
using MultiDcVault.Harness.Components.Vault;
using MultiDcVault.Harness.Infrastructure.Docker;
using MultiDcVault.Harness.Infrastructure.Secrets;
using MultiDcVault.Harness.Infrastructure.Vault;
using MultiDcVault.Harness.Infrastructure.Polling;

namespace MultiDcVault.Harness.Components.Kms;

/// <summary>
/// The central Vault: a real (not dev-mode) Vault server in a container on the shared network, with file
/// storage on a labelled volume. It is the transit KMS for the in-cluster Vaults' auto-unseal and the KV store
/// where bank-vaults keeps recovery keys and the root token, so it must survive a restart: the harness
/// initialises it once (one unseal key share), and unseals it after every (re)start with the key it keeps in
/// secrets.json. A fresh environment gets a fresh one (new volume, new keys), because bank-vaults refuses to
/// overwrite keys; attaching to an existing one never starts, removes or replaces it.
/// </summary>
internal sealed partial class CentralVault : IAsyncDisposable
{
    public const string RootTokenKey = "vault-root";

    private readonly ICentralVaultContainerHost _host;
    private readonly UnsealKeysLocation _keys;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _unsealing = new(1, 1);
    private CentralVaultContainerInfo _container;
    private VaultClient _client;

    private CentralVault(
        ICentralVaultContainerHost host,
        CentralVaultOptions options,
        CentralVaultContainerInfo container,
        CentralVaultState state,
        bool reused,
        TimeProvider time,
        ILogger logger)
    {
        _host = host;
        _keys = UnsealKeysLocation.Parse(options.UnsealKeysPath);
        _time = time;
        _logger = logger;
        Options = options;
        State = state;
        Reused = reused;
        _container = container;
        _client = CreateClient(options, container.HostAddress, state.RootToken);
    }

    public CentralVaultOptions Options { get; }

    public string ContainerName => Options.ContainerName;

    public string ContainerId => _container.ContainerId;

    /// <summary>
    /// What kind nodes and pods use: http://&lt;network IP&gt;:8200. The in-cluster seal stanzas name it, so a restart must
    /// keep it (a fixed address); <see cref="StartAgainAsync"/> reports one that moved.
    /// </summary>
    public Uri InNetworkAddress => new($"http://{_container.NetworkIp}:8200");

    /// <summary>What this process uses (may change across a restart where a loopback port is published).</summary>
    public Uri HostAddress => _container.HostAddress;

    /// <summary>The central Vault's own root token from sys/init. Never put it into manifests.</summary>
    public SecretValue RootToken => State.RootToken;

    /// <summary>Orphan periodic token for the in-cluster Vaults: seal "transit" token and unsealConfig.vault.token.</summary>
    public SecretValue TransitToken => State.TransitToken;

    public string TransitKeyName => Options.TransitKeyName;

    public string TransitMountPath => Options.TransitMountPath;

    /// <summary>Value for unsealConfig.vault.unsealKeysPath.</summary>
    public string UnsealKeysPath => _keys.UnsealKeysPath;

    /// <summary>True when its address was fixed at create time (a restart keeps it); <see cref="StopAsync"/> refuses otherwise.</summary>
    public bool FixedAddress => _container.FixedAddress;

    /// <summary>True when this is an earlier run's central Vault that was attached to, not a fresh one.</summary>
    public bool Reused { get; }

    /// <summary>What a later process needs to attach (tokens and the unseal key): secrets.json only.</summary>
    public CentralVaultState State { get; }

    public static string ContainerNameFor(string session)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(session);
        return $"multidc-{session}-central-vault";
    }

    public static string DataVolumeNameFor(string session) => ContainerNameFor(session) + "-data";

    /// <summary>
    /// Removes any leftover central Vault of this session (container and volume), starts a new server,
    /// initialises it with one unseal key share, unseals it and configures the KV mount, the transit key, two
    /// narrow policies and the in-cluster Vaults' periodic token.
    /// </summary>
    /// <param name="ipv4Address">Fixed address on the network (see <see cref="CentralVaultContainerSpec.Ipv4Address"/>); null lets Docker pick.</param>
    public static async Task<CentralVault> StartFreshAsync(
        ICentralVaultContainerHost host,
        CentralVaultOptions options,
        string? ipv4Address,
        TimeProvider? timeProvider = null,
        ILogger? logger = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(options);
        timeProvider ??= TimeProvider.System;
        logger ??= NullLogger.Instance;
        var keys = UnsealKeysLocation.Parse(options.UnsealKeysPath); // fail before anything is created

        if ((await host.RemoveAsync(options.ContainerName, options.DataVolumeName, cancellationToken)).Any)
        {
            LogReplacing(logger, options.ContainerName);
        }

        var labels = HarnessLabels.For(options.Session, "central-vault", kept: options.Kept);
        var spec = new CentralVaultContainerSpec(
            options.ContainerName,
            options.Image,
            options.Network,
            ipv4Address,
            CentralVaultServerConfig.Environment,
            CentralVaultServerConfig.Command,
            CentralVaultServerConfig.Capabilities,
            labels,
            options.DataVolumeName,
            CentralVaultServerConfig.DataPath);

        LogStarting(logger, options.ContainerName, options.Image, options.Network);
        var container = await host.StartAsync(spec, cancellationToken);
        if (!container.FixedAddress)
        {
            LogNoFixedAddress(logger, options.ContainerName, options.Network, container.NetworkIp);
        }

        using var anonymous = CreateClient(options, container.HostAddress, token: null);
        var health = await WaitForAsync(host, anonymous, options, timeProvider, "answer on sys/health", _ => true, cancellationToken);
        if (health.State != VaultNodeState.Uninitialized)
        {
            throw new InvalidOperationException(
                $"The new central Vault container {options.ContainerName} reports {health.State} instead of uninitialised: its volume " +
                $"{options.DataVolumeName} holds an earlier Vault. Run `multidc down` (it removes the volume) and try again.");
        }

        var init = await anonymous.InitAsync(new VaultInitRequest { SecretShares = 1, SecretThreshold = 1 }, cancellationToken);
        var unsealKey = init.KeysBase64.Count == 1
            ? init.KeysBase64[0]
            : throw new InvalidOperationException($"The central Vault's sys/init returned {init.KeysBase64.Count} unseal keys; one was asked for.");
        await anonymous.UnsealAsync(unsealKey, cancellationToken);
        await WaitForAsync(host, anonymous, options, timeProvider, "become active after unseal", h => h.State == VaultNodeState.Active, cancellationToken);

        using var root = CreateClient(options, container.HostAddress, init.RootToken);
        var transitToken = await ConfigureAsync(root, options, keys, cancellationToken);
        await WaitForKvV2UpgradeAsync(root, options, keys, timeProvider, cancellationToken);
        LogReady(logger, options.ContainerName, container.HostAddress);
        var state = new CentralVaultState(options.ContainerName, init.RootToken, transitToken, unsealKey);
        return new CentralVault(host, options, container, state, reused: false, timeProvider, logger);
    }

    /// <summary>
    /// Attaches to this session's central Vault with an earlier run's <paramref name="previous"/> state. Never
    /// starts, removes or replaces it; unseals it when it is sealed (after a restart). Throws
    /// <see cref="CentralVaultUnavailableException"/> (one line: what is wrong and what to run) when it is gone,
    /// stopped, lost its storage, or no longer accepts the recorded tokens.
    /// </summary>
    public static async Task<CentralVault> AttachAsync(
        ICentralVaultContainerHost host,
        CentralVaultOptions options,
        CentralVaultState previous,
        TimeProvider? timeProvider = null,
        ILogger? logger = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(previous);
        timeProvider ??= TimeProvider.System;
        logger ??= NullLogger.Instance;
        var name = options.ContainerName;
        if (previous.ContainerName != name)
        {
            throw new CentralVaultUnavailableException(
                $"secrets.json describes central Vault '{previous.ContainerName}', but this session's is '{name}'; " +
                "run `multidc down` and `multidc up` with the same session and work directory.");
        }

        var running = await host.FindRunningAsync(name, cancellationToken);
        if (running is null)
        {
            throw await host.ExistsAsync(name, cancellationToken)
                ? new CentralVaultUnavailableException(
                    $"The central Vault container {name} is stopped, so no in-cluster Vault can unseal; start it with " +
                    $"`docker start {name}` (the next multidc command unseals it) or run `multidc down`.")
                : new CentralVaultUnavailableException(
                    $"The central Vault container {name} no longer exists, and with it the KMS and the keys of this environment; " +
                    "run `multidc down` and then `multidc up` for a fresh environment.");
        }

        var vault = new CentralVault(host, options, running, previous, reused: true, timeProvider, logger);
        try
        {
            await vault.EnsureUnsealedAsync(cancellationToken);
            await vault.RequireTokensValidAsync(cancellationToken);
            LogAttached(logger, name, running.HostAddress);
            return vault;
        }
        catch
        {
            await vault.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Unseals the central Vault when it is sealed (a restarted server starts sealed). Throws
    /// <see cref="CentralVaultUnavailableException"/> when its storage is gone (it reports uninitialised)
    /// or the recorded unseal key no longer opens it.
    /// </summary>
    public async Task EnsureUnsealedAsync(CancellationToken cancellationToken = default)
    {
        await _unsealing.WaitAsync(cancellationToken);
        try
        {
            using var anonymous = CreateClient(Options, HostAddress, token: null);
            var health = await WaitForAsync(_host, anonymous, Options, _time, "answer on sys/health", _ => true, cancellationToken);
            switch (health.State)
            {
                case VaultNodeState.Uninitialized:
                    throw new CentralVaultUnavailableException(
                        $"The central Vault {ContainerName} answers but is uninitialised: its storage (volume {Options.DataVolumeName}) is gone, " +
                        "and with it the transit key every in-cluster Vault unseals with; run `multidc down` and then `multidc up`.");
                case VaultNodeState.Sealed:
                    LogUnsealing(_logger, ContainerName);
                    try
                    {
                        await anonymous.UnsealAsync(State.UnsealKey, cancellationToken);
                    }
                    catch (VaultApiException ex) when (ex.StatusCode == HttpStatusCode.BadRequest)
                    {
                        throw new CentralVaultUnavailableException(
                            $"The central Vault {ContainerName} is sealed and refuses the unseal key recorded in secrets.json " +
                            $"({ex.Errors.FirstOrDefault() ?? "bad request"}): it is not the Vault this environment initialised; run `multidc down` and then `multidc up`.",
                            ex);
                    }

                    await WaitForAsync(_host, anonymous, Options, _time, "become active after unseal", h => h.State == VaultNodeState.Active, cancellationToken);
                    break;
            }
        }
        finally
        {
            _unsealing.Release();
        }
    }

    /// <summary>
    /// Stops the container (a KMS outage); its storage stays on the volume. Refuses (one line) when Docker picked its
    /// address, because a restart could then move it away from the address every seal stanza names.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (!_container.FixedAddress)
        {
            throw new CentralVaultUnavailableException(
                $"The central Vault {ContainerName} has no fixed address on network {Options.Network} (its IPv4 subnet is not user-configured), " +
                "so a restart could move it away from the address the in-cluster Vaults use; refusing to stop it. " +
                "Let multidc create its network (or set MULTIDC_NETWORK_SUBNET) to run KMS outages.");
        }

        await _host.StopAsync(ContainerName, cancellationToken);
    }

    /// <summary>
    /// Starts the stopped container again and unseals it. Throws <see cref="CentralVaultUnavailableException"/>
    /// when it comes back at another network address, which the in-cluster seal stanzas would not find.
    /// </summary>
    public async Task StartAgainAsync(CancellationToken cancellationToken = default)
    {
        var expected = _container.NetworkIp;
        var container = await _host.RestartStoppedAsync(ContainerName, cancellationToken);
        _container = container;
        var previous = _client;
        _client = CreateClient(Options, container.HostAddress, State.RootToken);
        previous.Dispose();

        // Unsealed even at a wrong address: the harness can still read the root token and keys from it.
        await EnsureUnsealedAsync(cancellationToken);
        if (container.NetworkIp != expected)
        {
            throw new CentralVaultUnavailableException(
                $"The central Vault {ContainerName} came back at {container.NetworkIp} instead of {expected}, which every in-cluster " +
                "seal stanza names; the in-cluster Vaults cannot reach their KMS. Run `multidc down` and then `multidc up`.");
        }
    }

    /// <summary>The in-cluster Vault's root token that bank-vaults stored, or null when it is not there yet.</summary>
    public async Task<SecretValue?> TryReadRootTokenAsync(CancellationToken cancellationToken = default)
    {
        KvSecret? secret;
        try
        {
            secret = await _client.ReadKvAsync(_keys.Mount, _keys.SecretPathOf(RootTokenKey), cancellationToken);
        }
        catch (VaultApiException ex) when (ex.StatusCode == HttpStatusCode.ServiceUnavailable)
        {
            // Sealed while attached (restarted underneath us): unseal with the recorded key and read again.
            await EnsureUnsealedAsync(cancellationToken);
            secret = await _client.ReadKvAsync(_keys.Mount, _keys.SecretPathOf(RootTokenKey), cancellationToken);
        }

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

    /// <summary>Releases the HTTP client only; the container keeps running.</summary>
    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        _unsealing.Dispose();
        return ValueTask.CompletedTask;
    }

    public override string ToString() => $"central Vault {ContainerName} at {InNetworkAddress} (host: {HostAddress})";

    /// <summary>KV v2 for bank-vaults' keys (server mode has no "secret/" mount), transit key, two narrow policies and one orphan periodic token carrying both.</summary>
    private static async Task<SecretValue> ConfigureAsync(VaultClient client, CentralVaultOptions options, UnsealKeysLocation keys, CancellationToken cancellationToken)
    {
        await client.EnableMountAsync(
            keys.Mount,
            new MountRequest("kv") { Description = "bank-vaults unseal keys and root token", Options = new Dictionary<string, string> { ["version"] = "2" } },
            cancellationToken);
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

        // The default policy stays attached: it grants auth/token/renew-self, which the transit seal uses to keep this token alive.
        return await client.CreateOrphanPeriodicTokenAsync(
            new OrphanTokenRequest
            {
                Policies = [CentralVaultPolicies.AutoUnsealPolicyName, CentralVaultPolicies.UnsealKeysPolicyName],
                Period = options.TokenPeriod,
                DisplayName = "multidc-in-cluster-vaults",
            },
            cancellationToken);
    }

    /// <summary>
    /// A new KV v2 mount upgrades itself in the background and answers 400 "Upgrading from non-versioned to versioned
    /// data" until done (hashicorp/vault-plugin-secrets-kv upgrade.go); bank-vaults' first write must not meet that.
    /// </summary>
    private static async Task WaitForKvV2UpgradeAsync(
        VaultClient client, CentralVaultOptions options, UnsealKeysLocation keys, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        await Poll.RetryAsync(
            ct => client.ReadKvAsync(keys.Mount, keys.SecretPathOf(RootTokenKey), ct),
            ex => ex is VaultApiException { StatusCode: HttpStatusCode.BadRequest } api
                && api.Errors.Any(e => e.Contains("Upgrading", StringComparison.OrdinalIgnoreCase)),
            PollSchedule.For(options.StartupTimeout, options.PollInterval),
            timeProvider,
            cancellationToken);
    }

    private async Task RequireTokensValidAsync(CancellationToken cancellationToken)
    {
        using var transit = CreateClient(Options, HostAddress, State.TransitToken);
        bool rootValid, transitValid;
        try
        {
            rootValid = await _client.IsTokenValidAsync(cancellationToken);
            transitValid = await transit.IsTokenValidAsync(cancellationToken);
        }
        catch (VaultException ex)
        {
            throw new CentralVaultUnavailableException(
                $"The central Vault {ContainerName} could not check the tokens recorded in secrets.json ({ex.Message}); check `docker logs {ContainerName}`.", ex);
        }

        if (!rootValid || !transitValid)
        {
            throw new CentralVaultUnavailableException(
                $"The central Vault {ContainerName} no longer accepts the {(rootValid ? "in-cluster Vaults' transit" : "root")} token recorded in secrets.json " +
                "(expired, revoked, or another Vault); run `multidc down` and then `multidc up`.");
        }
    }

    /// <summary>Polls sys/health until <paramref name="done"/> holds; fails early when the container exits, and at the startup timeout.</summary>
    private static async Task<VaultHealth> WaitForAsync(
        ICentralVaultContainerHost host,
        VaultClient client,
        CentralVaultOptions options,
        TimeProvider timeProvider,
        string goal,
        Func<VaultHealth, bool> done,
        CancellationToken cancellationToken)
    {
        string lastSeen = "no answer yet";
        var outcome = await Poll.RunAsync(
            async ct =>
            {
                try
                {
                    var health = await client.GetHealthAsync(ct);
                    if (done(health))
                    {
                        return new HealthProbe(health, Exited: false);
                    }

                    lastSeen = $"sys/health reports {health.State}";
                }
                catch (VaultException ex)
                {
                    // Not listening yet, or answering oddly while starting: keep polling until the deadline.
                    lastSeen = ex.Message;
                }

                return new HealthProbe(null, Exited: await host.FindRunningAsync(options.ContainerName, ct) is null);
            },
            probe => probe.Health is not null || probe.Exited,
            PollSchedule.For(options.StartupTimeout, options.PollInterval),
            timeProvider,
            cancellationToken);
        if (outcome.Last.Health is { } reached)
        {
            return reached;
        }

        var problem = outcome.Last.Exited
            ? $"exited before it could {goal}"
            : $"did not {goal} within {options.StartupTimeout.TotalSeconds:0} s";
        var logs = await TryGetLogsAsync(host, options.ContainerName, cancellationToken);
        throw new TimeoutException(Redactor.Default.Redact(
            $"The central Vault container {options.ContainerName} (image {options.Image}) {problem} at {client.Address}. " +
            $"Last observation: {lastSeen}. Check that the image is a hashicorp/vault server image and that this address is reachable from here. " +
            $"Container logs (tail):{System.Environment.NewLine}{logs}"));
    }

    /// <summary>One sys/health poll: the health once it meets the goal, else whether the container is gone.</summary>
    private readonly record struct HealthProbe(VaultHealth? Health, bool Exited);

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

    private static VaultClient CreateClient(CentralVaultOptions options, Uri address, SecretValue? token) =>
        new(new VaultClientOptions
        {
            Address = address,
            Token = token,
            // The central Vault serves plain http on the shared network; any https address would use the system trust store.
            Tls = VaultTls.SystemTrust,
            RequestTimeout = options.RequestTimeout,
        });

    [LoggerMessage(Level = LogLevel.Information, Message = "Attached to central Vault {Name} at {Address}")]
    private static partial void LogAttached(ILogger logger, string name, Uri address);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removed an earlier central Vault {Name} and its volume: a fresh environment needs a fresh KMS")]
    private static partial void LogReplacing(ILogger logger, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Starting central Vault {Name} from {Image} on network {Network}")]
    private static partial void LogStarting(ILogger logger, string name, string image, string network);

    [LoggerMessage(Level = LogLevel.Information, Message = "Central Vault {Name} is initialised, unsealed and configured at {Address}")]
    private static partial void LogReady(ILogger logger, string name, Uri address);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Central Vault {Name} got no fixed address on network {Network} (no user-configured IPv4 subnet); it is at {Address}, which a restart may change")]
    private static partial void LogNoFixedAddress(ILogger logger, string name, string network, string address);

    [LoggerMessage(Level = LogLevel.Information, Message = "Central Vault {Name} is sealed (restarted); unsealing it with the recorded key")]
    private static partial void LogUnsealing(ILogger logger, string name);
}

/// <summary>The session's central Vault exists in some form but cannot be used; the message is one line saying what to run.</summary>
internal sealed class CentralVaultUnavailableException : InvalidOperationException
{
    public CentralVaultUnavailableException()
    {
    }

    public CentralVaultUnavailableException(string message)
        : base(message)
    {
    }

    public CentralVaultUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
