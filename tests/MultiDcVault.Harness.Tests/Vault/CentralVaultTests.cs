using System.Text;
using System.Text.Json;
using FluentAssertions;
using MultiDcVault.Harness.Secrets;
using MultiDcVault.Harness.Tests.TestSupport;
using MultiDcVault.Harness.Vault;
using Xunit;

namespace MultiDcVault.Harness.Tests.Vault;

/// <summary>CentralVault against a scripted Vault over real loopback HTTP and a recording container host.</summary>
public sealed class CentralVaultTests : IAsyncLifetime
{
    private static readonly string IssuedTransitToken = TestTokens.Named("CAESIissuedTransitTokenForTests0123456789");
    private static readonly string StoredInClusterRootToken = TestTokens.Named("inClusterRootTokenFromBankVaults0123");

    private readonly ScriptedVault _vault = new();
    private readonly HashSet<string> _validTokens = [];
    private FakeVaultServer _server = null!;
    private FakeCentralVaultContainerHost _host = null!;
    private int _healthCalls;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private CentralVaultOptions Options => new()
    {
        Session = "s1",
        Image = "hashicorp/vault:1.21.1",
        Network = "multidc",
        PollInterval = TimeSpan.FromMilliseconds(20),
        StartupTimeout = TimeSpan.FromMinutes(1),
    };

    public ValueTask InitializeAsync()
    {
        _vault
            .On("GET", "/v1/sys/health", _ => Interlocked.Increment(ref _healthCalls) == 1
                ? FakeResponse.Json(501, VaultSamples.HealthUninitialized) // dev server still initialising itself
                : FakeResponse.Json(200, VaultSamples.HealthActive))
            .On("POST", "/v1/sys/mounts/transit", FakeResponse.NoContent)
            .On("POST", "/v1/transit/keys/autounseal", FakeResponse.Json(200, VaultSamples.TransitKeyAnswer))
            .On("PUT", "/v1/sys/policies/acl/multidc-autounseal", FakeResponse.NoContent)
            .On("PUT", "/v1/sys/policies/acl/multidc-unseal-keys", FakeResponse.NoContent)
            .On("POST", "/v1/auth/token/create-orphan", FakeResponse.Json(200, VaultSamples.OrphanTokenAnswer(IssuedTransitToken)))
            .On("GET", "/v1/auth/token/lookup-self", request => _validTokens.Contains(request.Header("X-Vault-Token") ?? string.Empty)
                ? FakeResponse.Json(200, VaultSamples.LookupSelfAnswer)
                : FakeResponse.Json(403, VaultSamples.PermissionDenied));
        _server = FakeVaultServer.Start(_vault.Handle);
        _host = new FakeCentralVaultContainerHost(_server.BaseAddress);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private IEnumerable<RecordedRequest> ConfigurationRequests => _server.Requests.Where(r => r.Path != "/v1/sys/health");

    [Fact]
    public async Task Fresh_start_runs_a_dev_vault_with_a_random_root_token_and_session_labels()
    {
        await using var central = await CentralVault.ReuseOrStartAsync(_host, Options, cancellationToken: Ct);

        var spec = _host.Started.Should().ContainSingle().Subject;
        spec.Name.Should().Be("multidc-s1-central-vault");
        spec.Image.Should().Be("hashicorp/vault:1.21.1");
        spec.Network.Should().Be("multidc");
        spec.CapAdd.Should().Equal("IPC_LOCK");
        spec.Environment.Should().Equal(new Dictionary<string, string> { ["VAULT_DEV_LISTEN_ADDRESS"] = "0.0.0.0:8200" });
        spec.SecretEnvironment.Should().ContainKey("VAULT_DEV_ROOT_TOKEN_ID").WhoseValue.Should().Be(central.RootToken);
        spec.Labels.Should().Equal(new Dictionary<string, string>
        {
            ["io.multidc-vault.session"] = "s1",
            ["io.multidc-vault.role"] = "central-vault",
        });
        central.RootToken.Reveal().Should().MatchRegex("^hvs\\.[A-Za-z0-9]{32}$");
        central.InNetworkAddress.Should().Be(new Uri("http://172.18.0.9:8200"));
        central.HostAddress.Should().Be(_server.BaseAddress);
        central.Reused.Should().BeFalse();
        _healthCalls.Should().BeGreaterThanOrEqualTo(2, "it keeps polling sys/health until the dev server is active");
    }

    [Fact]
    public async Task Root_token_differs_on_every_fresh_start()
    {
        await using var first = await CentralVault.ReuseOrStartAsync(_host, Options, cancellationToken: Ct);
        _host.Running = null;
        await using var second = await CentralVault.ReuseOrStartAsync(_host, Options, cancellationToken: Ct);

        first.RootToken.Should().NotBe(second.RootToken);
        _host.Started.Select(s => s.SecretEnvironment["VAULT_DEV_ROOT_TOKEN_ID"]).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task Configuration_enables_transit_key_policies_and_an_orphan_periodic_token_in_order()
    {
        await using var central = await CentralVault.ReuseOrStartAsync(_host, Options, cancellationToken: Ct);

        var requests = ConfigurationRequests.ToArray();
        requests.Select(r => $"{r.Method} {r.Path}").Should().Equal(
            "POST /v1/sys/mounts/transit",
            "POST /v1/transit/keys/autounseal",
            "PUT /v1/sys/policies/acl/multidc-autounseal",
            "PUT /v1/sys/policies/acl/multidc-unseal-keys",
            "POST /v1/auth/token/create-orphan");
        requests.Should().OnlyContain(r => r.Header("X-Vault-Token") == central.RootToken.Reveal());

        Body(requests[0]).GetProperty("type").GetString().Should().Be("transit");
        Body(requests[1]).GetProperty("type").GetString().Should().Be("aes256-gcm96");

        var autoUnseal = Body(requests[2]).GetProperty("policy").GetString()!;
        PolicyPaths(autoUnseal).Should().BeEquivalentTo(new Dictionary<string, string[]>
        {
            ["transit/encrypt/autounseal"] = ["update"],
            ["transit/decrypt/autounseal"] = ["update"],
        });

        var unsealKeys = Body(requests[3]).GetProperty("policy").GetString()!;
        PolicyPaths(unsealKeys).Should().BeEquivalentTo(new Dictionary<string, string[]>
        {
            ["secret/data/vault-unseal-keys/*"] = ["create", "read", "update"],
            ["secret/metadata/vault-unseal-keys/*"] = ["read", "list"],
        });

        var token = Body(requests[4]);
        token.GetProperty("policies").EnumerateArray().Select(p => p.GetString())
            .Should().Equal("multidc-autounseal", "multidc-unseal-keys");
        token.GetProperty("period").GetString().Should().Be("2764800s");
        token.GetProperty("no_default_policy").GetBoolean().Should().BeFalse("the default policy lets seal \"transit\" renew its own token");

        central.TransitToken.Reveal().Should().Be(IssuedTransitToken);
        central.TransitMountPath.Should().Be("transit");
        central.TransitKeyName.Should().Be("autounseal");
        central.UnsealKeysPath.Should().Be("secret/data/vault-unseal-keys");
    }

    [Fact]
    public async Task Root_token_stored_by_bank_vaults_is_read_and_base64_decoded()
    {
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(StoredInClusterRootToken));
        _vault.On("GET", "/v1/secret/data/vault-unseal-keys/vault-root",
            FakeResponse.Json(200, VaultSamples.KvReadAnswer($$"""{"vault-root":"{{encoded}}"}""", 1)));
        await using var central = await CentralVault.ReuseOrStartAsync(_host, Options, cancellationToken: Ct);

        var token = await central.ReadRootTokenAsync(Ct);

        token.Reveal().Should().Be(StoredInClusterRootToken);
        token.ToString().Should().NotContain(StoredInClusterRootToken);
        _server.Requests.Last().Header("X-Vault-Token").Should().Be(central.RootToken.Reveal());
    }

    [Fact]
    public async Task Missing_root_token_says_bank_vaults_has_not_initialised_yet()
    {
        await using var central = await CentralVault.ReuseOrStartAsync(_host, Options, cancellationToken: Ct);

        (await central.TryReadRootTokenAsync(Ct)).Should().BeNull();
        var act = () => central.ReadRootTokenAsync(Ct);

        (await act.Should().ThrowAsync<InvalidOperationException>())
            .WithMessage("bank-vaults has not initialised the leader yet*secret/data/vault-unseal-keys/vault-root*");
    }

    [Fact]
    public async Task Running_container_whose_tokens_still_work_is_reused_without_reconfiguring()
    {
        SecretValue root = new(TestTokens.Named("previousRootTokenValue000000000001"));
        SecretValue transit = new(TestTokens.Named("previousTransitTokenValue000000001"));
        _validTokens.UnionWith([root.Reveal(), transit.Reveal()]);
        _host.Running = new CentralVaultContainerInfo("old-id", "172.18.0.4", _server.BaseAddress);

        await using var central = await CentralVault.ReuseOrStartAsync(
            _host, Options, new CentralVaultState("multidc-s1-central-vault", root, transit), cancellationToken: Ct);

        central.Reused.Should().BeTrue();
        central.RootToken.Should().Be(root);
        central.TransitToken.Should().Be(transit);
        central.ContainerId.Should().Be("old-id");
        central.InNetworkAddress.Should().Be(new Uri("http://172.18.0.4:8200"));
        _host.Started.Should().BeEmpty();
        _host.Removed.Should().BeEmpty();
        ConfigurationRequests.Should().OnlyContain(r => r.Path == "/v1/auth/token/lookup-self");
    }

    [Fact]
    public async Task Running_container_with_unknown_or_rejected_tokens_is_replaced()
    {
        _host.Running = new CentralVaultContainerInfo("old-id", "172.18.0.4", _server.BaseAddress);
        var stale = new CentralVaultState(
            "multidc-s1-central-vault", new SecretValue(TestTokens.Named("staleRootTokenValue00000000000001")), new SecretValue(TestTokens.Named("staleTransitToken000000000000001")));

        await using var central = await CentralVault.ReuseOrStartAsync(_host, Options, stale, cancellationToken: Ct);

        _host.Removed.Should().Equal("multidc-s1-central-vault");
        _host.Started.Should().ContainSingle();
        central.Reused.Should().BeFalse();
        central.RootToken.Should().NotBe(stale.RootToken);
    }

    [Fact]
    public async Task Vault_that_never_becomes_active_times_out_with_redacted_logs()
    {
        _vault.On("GET", "/v1/sys/health", FakeResponse.Json(503, VaultSamples.HealthSealed));
        _host.Logs = () => "Root Token: " + _host.Started[^1].SecretEnvironment["VAULT_DEV_ROOT_TOKEN_ID"].Reveal() + "\nerror: something broke";
        var options = Options with { PollInterval = TimeSpan.FromSeconds(1), StartupTimeout = TimeSpan.FromSeconds(5) };

        await using var time = new VirtualTimeProvider();

        var act = () => CentralVault.ReuseOrStartAsync(_host, options, timeProvider: time, cancellationToken: Ct);

        var error = (await act.Should().ThrowAsync<TimeoutException>()).Which;
        var rootToken = _host.Started.Single().SecretEnvironment["VAULT_DEV_ROOT_TOKEN_ID"].Reveal();
        error.Message.Should().Contain("multidc-s1-central-vault").And.Contain("within 5 s")
            .And.Contain("Sealed").And.Contain("error: something broke").And.NotContain(rootToken);
        ConfigurationRequests.Should().BeEmpty();
    }

    [Fact]
    public async Task Container_that_exits_fails_fast_with_its_logs()
    {
        _vault.On("GET", "/v1/sys/health", FakeResponse.Json(503, VaultSamples.HealthSealed));
        _host.ExitImmediately = true;
        _host.Logs = () => "Error initializing core: mlock failed";

        var act = () => CentralVault.ReuseOrStartAsync(_host, Options, cancellationToken: Ct);

        (await act.Should().ThrowAsync<TimeoutException>())
            .WithMessage("*exited before it became ready*mlock failed*");
    }

    [Fact]
    public async Task Unusable_unseal_keys_path_fails_before_any_container_is_started()
    {
        var act = () => CentralVault.ReuseOrStartAsync(_host, Options with { UnsealKeysPath = "secret/vault-unseal-keys" }, cancellationToken: Ct);

        await act.Should().ThrowAsync<ArgumentException>();
        _host.Started.Should().BeEmpty();
    }

    private static JsonElement Body(RecordedRequest request) => JsonDocument.Parse(request.Body).RootElement.Clone();

    /// <summary>Reads the path blocks of our simple HCL policies: path -> capabilities.</summary>
    private static Dictionary<string, string[]> PolicyPaths(string hcl)
    {
        var matches = System.Text.RegularExpressions.Regex.Matches(
            hcl, "path \"(?<path>[^\"]+)\"\\s*\\{\\s*capabilities\\s*=\\s*\\[(?<caps>[^\\]]*)\\]\\s*\\}");
        return matches.ToDictionary(
            m => m.Groups["path"].Value,
            m => m.Groups["caps"].Value.Split(',').Select(c => c.Trim().Trim('"')).ToArray());
    }
}
