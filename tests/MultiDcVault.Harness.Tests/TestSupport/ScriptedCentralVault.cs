using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.Json;
using MultiDcVault.Harness.Components.Kms;

namespace MultiDcVault.Harness.Tests.TestSupport;

/// <summary>
/// The central Vault as a scripted peer: a Vault server API over real loopback HTTP behind a container host
/// that models the container and its data volume. It enforces the upstream rules the harness must honour, so a
/// harness that breaks one fails here instead of on its first real run:
/// <list type="bullet">
/// <item>hashicorp/vault vault/token_store.go (TokenStore.create): a caller-chosen token ID must not start with
/// "hvs." or "s." and must not contain "."; server mode has no caller-chosen root token at all.</item>
/// <item>hashicorp/vault http/sys_init.go: PUT sys/init {secret_shares, secret_threshold} answers keys, keys_base64
/// and root_token and leaves a Shamir-sealed Vault sealed; a second init is 400.</item>
/// <item>hashicorp/vault http/sys_seal.go: PUT sys/unseal {key} takes hex or base64; a wrong key is 400.</item>
/// <item>A sealed Vault answers every other request with 503; a restarted server starts sealed; storage lives on the
/// volume only (a new volume is an uninitialised Vault).</item>
/// <item>Server mode has no "secret/" KV mount (only dev mode mounts one); KV v2 reads and writes go through
/// &lt;mount&gt;/data/&lt;path&gt;, and a new KV v2 mount answers 400 "Upgrading from non-versioned to versioned data"
/// while it upgrades in the background (hashicorp/vault-plugin-secrets-kv upgrade.go).</item>
/// <item>moby daemon/container_operations.go: a fixed address is only kept when the container was created with one.</item>
/// <item>Image facts (hashicorp/vault#31919, #32016; hashicorp/web-unified-docs#2479): without IPC_LOCK the binary does
/// not exec (1.19.17+, 1.21.6+, 2.0.1+); without disable_mlock the server fails to lock memory (2.0.2+); without
/// SKIP_SETCAP the 2.0.0 entrypoint fails in setcap. The container then exits at once.</item>
/// </list>
/// </summary>
internal sealed class ScriptedCentralVault : ICentralVaultContainerHost, IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly FakeVaultServer _server;
    private Storage? _volume;
    private bool _sealed = true;

    public ScriptedCentralVault(string networkIp = "172.18.0.9")
    {
        NetworkIp = networkIp;
        _server = FakeVaultServer.Start(Handle);
    }

    public Uri BaseAddress => _server.BaseAddress;

    public IReadOnlyCollection<RecordedRequest> Requests => _server.Requests;

    public List<CentralVaultContainerSpec> Started { get; } = [];

    public List<string> Removed { get; } = [];

    public bool ContainerExists { get; private set; }

    public bool Running { get; private set; }

    /// <summary>The address the container gets on (re)start; a test may change it to model Docker moving it.</summary>
    public string NetworkIp { get; set; }

    /// <summary>What GetLogsAsync returns; a function so a test can echo a secret the server issued.</summary>
    public Func<string> Logs { get; set; } = () => "==> Vault server started! Log data will stream in below:";

    /// <summary>Why the container exited right after its last start; null while it runs.</summary>
    public string? ExitReason { get; private set; }

    /// <summary>When set, sys/health keeps reporting sealed after a correct unseal (a server that never becomes active).</summary>
    public bool NeverActive { get; set; }

    public string? IssuedRootToken => _volume?.RootToken;

    public string? IssuedUnsealKey => _volume?.UnsealKeyBase64;

    public bool Sealed => _sealed;

    /// <summary>The KV v2 data a client wrote, by logical path "mount/path".</summary>
    public IReadOnlyDictionary<string, JsonObject> Kv => _volume?.Kv ?? [];

    /// <summary>How many KV v2 data requests a new KV v2 mount answers with "Upgrading" before it is ready.</summary>
    public int KvUpgradeRequests { get; set; } = 2;

    /// <summary>Mount path to "type" or "kv-v2".</summary>
    public IReadOnlyDictionary<string, string> Mounts => _volume?.Mounts ?? [];

    /// <summary>Replaces the volume's content with an empty one, as if it had been removed and recreated.</summary>
    public void WipeStorage() => _volume = new Storage();

    /// <summary>Seals the running server, as a restart underneath the harness would.</summary>
    public void Seal() => _sealed = true;

    /// <summary>A token the server issues itself, as Vault does (service-token shaped).</summary>
    private static string NewServerToken() => "hvs." + RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 24);

    public Task<CentralVaultContainerInfo?> FindRunningAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(Running ? Info() : null);

    public Task<bool> ExistsAsync(string name, CancellationToken cancellationToken) => Task.FromResult(ContainerExists);

    public Task<CentralVaultContainerInfo> StartAsync(CentralVaultContainerSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (ContainerExists)
        {
            throw new InvalidOperationException($"Conflict. The container name \"/{spec.Name}\" is already in use (remove it first).");
        }

        Started.Add(spec);
        ContainerExists = true;
        _volume ??= new Storage();
        if (spec.Ipv4Address is not null)
        {
            NetworkIp = spec.Ipv4Address;
        }

        Boot(spec);
        return Task.FromResult(Info());
    }

    public Task<CentralVaultContainerInfo> RestartStoppedAsync(string name, CancellationToken cancellationToken)
    {
        if (!ContainerExists)
        {
            throw new InvalidOperationException($"No such container: {name}");
        }

        Boot(Started[^1]);
        return Task.FromResult(Info());
    }

    public Task StopAsync(string name, CancellationToken cancellationToken)
    {
        Running = false;
        return Task.CompletedTask;
    }

    public Task<CentralVaultRemoval> RemoveAsync(string name, string dataVolume, CancellationToken cancellationToken)
    {
        var removal = new CentralVaultRemoval(ContainerExists, _volume is not null);
        if (removal.Any)
        {
            Removed.Add(name);
        }

        ContainerExists = false;
        Running = false;
        _volume = null;
        return Task.FromResult(removal);
    }

    public Task<string> GetLogsAsync(string name, CancellationToken cancellationToken) => Task.FromResult(ExitReason ?? Logs());

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private CentralVaultContainerInfo Info() =>
        new($"container-{Started.Count}", NetworkIp, _server.BaseAddress) { FixedAddress = Started.Count > 0 && Started[^1].Ipv4Address == NetworkIp };

    private void Boot(CentralVaultContainerSpec spec)
    {
        _sealed = true; // a Shamir-sealed server always starts sealed
        ExitReason = WhyTheImageExits(spec);
        Running = ExitReason is null;
    }

    private static string? WhyTheImageExits(CentralVaultContainerSpec spec)
    {
        if (spec.Command.Any(a => a.StartsWith("-dev", StringComparison.Ordinal)) || spec.Environment.ContainsKey("VAULT_DEV_ROOT_TOKEN_ID"))
        {
            return "the harness asked for dev mode, which keeps everything in memory";
        }

        if (!spec.CapAdd.Contains("IPC_LOCK"))
        {
            return "exec /bin/vault: operation not permitted";
        }

        if (!spec.Environment.TryGetValue("SKIP_SETCAP", out var skip) || string.IsNullOrEmpty(skip))
        {
            return "unable to set CAP_SETFCAP effective capability: Operation not permitted";
        }

        var config = spec.Environment.TryGetValue("VAULT_LOCAL_CONFIG", out var json) ? JsonNode.Parse(json) : null;
        if (config?["disable_mlock"]?.GetValue<bool>() != true)
        {
            return "Error initializing core: Failed to lock memory: cannot allocate memory";
        }

        return config["storage"]?["file"]?["path"]?.GetValue<string>() == spec.DataMountPath
            ? null
            : "the storage path is not on the data volume: a restart would lose everything";
    }

    private FakeResponse Handle(RecordedRequest request)
    {
        lock (_gate)
        {
            if (!Running || _volume is null)
            {
                return FakeResponse.Json(502, """{"errors":["connection refused: the container is not running"]}""");
            }

            var volume = _volume;
            var path = request.Path;
            switch (request.Method, path)
            {
                case ("GET", "/v1/sys/health"):
                    return Health(request, volume);
                case ("PUT" or "POST", "/v1/sys/init"):
                    return Init(request, volume);
                case ("PUT" or "POST", "/v1/sys/unseal"):
                    return Unseal(request, volume);
            }

            if (_sealed)
            {
                return FakeResponse.Json(503, """{"errors":["Vault is sealed"]}""");
            }

            if (request.Header("X-Vault-Token") is not { } token || !volume.Tokens.Contains(token))
            {
                return FakeResponse.Json(403, VaultSamples.PermissionDenied);
            }

            return Authenticated(request, volume);
        }
    }

    private FakeResponse Health(RecordedRequest request, Storage volume)
    {
        var (status, body) = !volume.Initialized
            ? (501, VaultSamples.HealthUninitialized)
            : _sealed || NeverActive ? (503, VaultSamples.HealthSealed) : (200, VaultSamples.HealthActive);
        var codeParameter = status switch { 501 => "uninitcode", 503 => "sealedcode", _ => null };
        if (codeParameter is not null && QueryValue(request, codeParameter) is { } code && int.TryParse(code, out var overridden))
        {
            status = overridden;
        }

        return FakeResponse.Json(status, body);
    }

    private static FakeResponse Init(RecordedRequest request, Storage volume)
    {
        if (volume.Initialized)
        {
            return FakeResponse.Json(400, """{"errors":["Vault is already initialized"]}""");
        }

        var body = JsonNode.Parse(request.Body);
        var shares = body?["secret_shares"]?.GetValue<int>() ?? 0;
        var threshold = body?["secret_threshold"]?.GetValue<int>() ?? 0;
        if (shares < 1 || threshold < 1 || threshold > shares)
        {
            return FakeResponse.Json(400, """{"errors":["invalid seal configuration: threshold must be between 1 and the number of shares"]}""");
        }

        var keys = Enumerable.Range(0, shares).Select(_ => RandomNumberGenerator.GetBytes(32)).ToArray();
        volume.Initialized = true;
        volume.UnsealKeyBase64 = Convert.ToBase64String(keys[0]);
        volume.UnsealKeyHex = Convert.ToHexStringLower(keys[0]);
        volume.RootToken = NewServerToken();
        volume.Tokens.Add(volume.RootToken);
        var answer = new JsonObject
        {
            ["keys"] = new JsonArray([.. keys.Select(k => JsonValue.Create(Convert.ToHexStringLower(k)))]),
            ["keys_base64"] = new JsonArray([.. keys.Select(k => JsonValue.Create(Convert.ToBase64String(k)))]),
            ["root_token"] = volume.RootToken,
        };
        return FakeResponse.Json(200, answer.ToJsonString());
    }

    private FakeResponse Unseal(RecordedRequest request, Storage volume)
    {
        if (!volume.Initialized)
        {
            return FakeResponse.Json(400, """{"errors":["Vault is not initialized"]}""");
        }

        var key = JsonNode.Parse(request.Body)?["key"]?.GetValue<string>();
        if (string.IsNullOrEmpty(key))
        {
            return FakeResponse.Json(400, """{"errors":["'key' must be specified in request body as JSON, or 'reset' set to true"]}""");
        }

        if (key != volume.UnsealKeyBase64 && key != volume.UnsealKeyHex)
        {
            return FakeResponse.Json(400, """{"errors":["Unseal failed, invalid key"]}""");
        }

        _sealed = false;
        return FakeResponse.Json(200, """{"type":"shamir","initialized":true,"sealed":false,"t":1,"n":1,"progress":0,"version":"2.0.1"}""");
    }

    private int KvUpgradeRequestsFor(Storage volume) => volume.Initialized ? KvUpgradeRequests : 0;

    private FakeResponse Authenticated(RecordedRequest request, Storage volume)
    {
        var path = request.Path["/v1/".Length..];
        if (path.StartsWith("sys/mounts/", StringComparison.Ordinal) && request.Method == "POST")
        {
            var mount = path["sys/mounts/".Length..];
            if (volume.Mounts.ContainsKey(mount))
            {
                return FakeResponse.Json(400, $$"""{"errors":["path is already in use at {{mount}}/"]}""");
            }

            var body = JsonNode.Parse(request.Body);
            var type = body?["type"]?.GetValue<string>() ?? string.Empty;
            var version = body?["options"]?["version"]?.GetValue<string>();
            volume.Mounts[mount] = type == "kv" && version == "2" ? "kv-v2" : type;
            if (volume.Mounts[mount] == "kv-v2")
            {
                volume.UpgradingRequestsLeft = KvUpgradeRequestsFor(volume);
            }

            return FakeResponse.NoContent;
        }

        if (path.StartsWith("sys/policies/acl/", StringComparison.Ordinal) && request.Method == "PUT")
        {
            return FakeResponse.NoContent;
        }

        if (path == "auth/token/create-orphan" && request.Method == "POST")
        {
            return CreateToken(request, volume);
        }

        if (path == "auth/token/lookup-self" && request.Method == "GET")
        {
            return FakeResponse.Json(200, VaultSamples.LookupSelfAnswer);
        }

        var segments = path.Split('/', 3);
        if (segments.Length == 3 && volume.Mounts.TryGetValue(segments[0], out var mountType))
        {
            if (mountType == "transit" && segments[1] == "keys" && request.Method == "POST")
            {
                return FakeResponse.Json(200, VaultSamples.TransitKeyAnswer);
            }

            if (mountType == "kv-v2" && segments[1] == "data")
            {
                if (volume.UpgradingRequestsLeft > 0)
                {
                    volume.UpgradingRequestsLeft--;
                    return FakeResponse.Json(400, """{"errors":["Upgrading from non-versioned to versioned data. This backend will be unavailable for a brief period and will resume service shortly."]}""");
                }

                var key = $"{segments[0]}/{segments[2]}";
                if (request.Method is "POST" or "PUT")
                {
                    volume.Kv[key] = JsonNode.Parse(request.Body)?["data"]?.AsObject().DeepClone().AsObject() ?? [];
                    return FakeResponse.Json(200, VaultSamples.KvWriteAnswer(1));
                }

                return volume.Kv.TryGetValue(key, out var data)
                    ? FakeResponse.Json(200, VaultSamples.KvReadAnswer(data.ToJsonString(), 1))
                    : FakeResponse.Json(404, """{"errors":[]}""");
            }
        }

        return FakeResponse.Json(404, $$"""{"errors":["no handler for route \"{{path}}\". route entry not found."]}""");
    }

    private static FakeResponse CreateToken(RecordedRequest request, Storage volume)
    {
        var body = JsonNode.Parse(request.Body);
        var id = body?["id"]?.GetValue<string>();
        if (id is not null && (id.StartsWith("hvs.", StringComparison.Ordinal) || id.StartsWith("s.", StringComparison.Ordinal) || id.Contains('.', StringComparison.Ordinal)))
        {
            return FakeResponse.Json(400, """{"errors":["custom token ID cannot have the 'hvs.' or 's.' prefix, or contain a '.'"]}""");
        }

        var token = id ?? NewServerToken();
        volume.Tokens.Add(token);
        return FakeResponse.Json(200, VaultSamples.OrphanTokenAnswer(token));
    }

    private static string? QueryValue(RecordedRequest request, string name) =>
        request.Query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2 && p[0] == name)
            .Select(p => p[1])
            .FirstOrDefault();

    /// <summary>What lives on the data volume.</summary>
    private sealed class Storage
    {
        public bool Initialized { get; set; }

        public string? UnsealKeyBase64 { get; set; }

        public string? UnsealKeyHex { get; set; }

        public string? RootToken { get; set; }

        public HashSet<string> Tokens { get; } = [];

        public Dictionary<string, string> Mounts { get; } = [];

        public Dictionary<string, JsonObject> Kv { get; } = [];

        public int UpgradingRequestsLeft { get; set; }
    }
}
