using System.Text.Json.Nodes;
using System.Text.Json;
using System.Text;
using FluentAssertions;
using MultiDcVault.Harness.Components.Kms;
using MultiDcVault.Harness.Infrastructure.Secrets;
using MultiDcVault.Harness.Infrastructure.Vault;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Components.Kms;

/// <summary>
/// The central Vault's lifecycle (init, unseal after restart, attach after restart, attach after the volume is
/// gone, sealed while attached) against <see cref="ScriptedCentralVault"/>, which enforces Vault's own rules.
/// </summary>
public sealed class CentralVaultTests : IAsyncLifetime
{
    private static readonly string StoredInClusterRootToken = TestTokens.Named("inClusterRootTokenFromBankVaults0123");

    private readonly ScriptedCentralVault _vault = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static CentralVaultOptions Options => new()
    {
        Session = "s1",
        Image = "hashicorp/vault:2.0.1",
        Network = "multidc",
        PollInterval = TimeSpan.FromMilliseconds(20),
        StartupTimeout = TimeSpan.FromMinutes(1),
    };

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _vault.DisposeAsync();

    [Fact]
    public async Task Fresh_start_runs_a_real_server_with_file_storage_on_a_labelled_volume_and_nothing_secret_in_its_configuration()
    {
        await using var central = await CentralVault.StartFreshAsync(_vault, Options, "172.18.255.100", cancellationToken: Ct);

        var spec = _vault.Started.Should().ContainSingle().Subject;
        spec.Name.Should().Be("multidc-s1-central-vault");
        spec.Image.Should().Be("hashicorp/vault:2.0.1");
        spec.Network.Should().Be("multidc");
        spec.Ipv4Address.Should().Be("172.18.255.100", "a restart must keep the address every seal stanza names");
        spec.Command.Should().Equal(["server"], "the image's entrypoint turns \"server\" into vault server -config=/vault/config, without -dev");
        spec.CapAdd.Should().Equal("IPC_LOCK");
        spec.DataVolume.Should().Be("multidc-s1-central-vault-data");
        spec.DataMountPath.Should().Be("/vault/file");
        spec.Labels.Should().Contain("io.multidc-vault.session", "s1").And.Contain("io.multidc-vault.role", "central-vault")
            .And.Contain("io.multidc-vault.owner.pid", System.Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), "a crash leaves it to the sweep only once this process is gone")
            .And.Contain("io.multidc-vault.owner.host", System.Environment.MachineName);
        spec.Environment.Keys.Should().BeEquivalentTo(["VAULT_LOCAL_CONFIG", "SKIP_SETCAP"]);

        var config = JsonNode.Parse(spec.Environment["VAULT_LOCAL_CONFIG"])!;
        config["storage"]!["file"]!["path"]!.GetValue<string>().Should().Be("/vault/file");
        config["disable_mlock"]!.GetValue<bool>().Should().BeTrue();
        config["listener"]!["tcp"]!["address"]!.GetValue<string>().Should().Be("0.0.0.0:8200");

        // `docker inspect` shows the environment: no credential may be in it.
        var everything = string.Join('\n', spec.Environment.Values.Concat(spec.Command));
        everything.Should().NotContain(central.RootToken.Reveal()).And.NotContain(central.State.UnsealKey.Reveal())
            .And.NotContain(central.TransitToken.Reveal());

        central.InNetworkAddress.Should().Be(new Uri("http://172.18.255.100:8200"));
        central.HostAddress.Should().Be(_vault.BaseAddress);
        central.Reused.Should().BeFalse();
    }

    [Fact]
    public async Task Fresh_start_initialises_with_one_key_share_unseals_and_keeps_the_root_token_and_key_from_init()
    {
        await using var central = await CentralVault.StartFreshAsync(_vault, Options, null, cancellationToken: Ct);

        var init = _vault.Requests.Single(r => r.Path == "/v1/sys/init");
        var body = JsonNode.Parse(init.Body)!;
        body["secret_shares"]!.GetValue<int>().Should().Be(1);
        body["secret_threshold"]!.GetValue<int>().Should().Be(1);
        central.RootToken.Reveal().Should().Be(_vault.IssuedRootToken);
        central.State.UnsealKey.Reveal().Should().Be(_vault.IssuedUnsealKey);
        _vault.Sealed.Should().BeFalse();
        central.State.RootToken.ToString().Should().NotContain(central.RootToken.Reveal(), "secret values never print themselves");
    }

    [Fact]
    public async Task Configuration_mounts_kv_v2_and_transit_writes_narrow_policies_and_an_orphan_periodic_token_in_order()
    {
        await using var central = await CentralVault.StartFreshAsync(_vault, Options, null, cancellationToken: Ct);

        var requests = ConfigurationRequests().ToArray();
        requests.Select(r => $"{r.Method} {r.Path}").Should().Equal(
            "POST /v1/sys/mounts/secret",
            "POST /v1/sys/mounts/transit",
            "POST /v1/transit/keys/autounseal",
            "PUT /v1/sys/policies/acl/multidc-autounseal",
            "PUT /v1/sys/policies/acl/multidc-unseal-keys",
            "POST /v1/auth/token/create-orphan",
            "GET /v1/secret/data/vault-unseal-keys/vault-root",  // refused: the new KV v2 mount is still upgrading
            "GET /v1/secret/data/vault-unseal-keys/vault-root",  // refused again
            "GET /v1/secret/data/vault-unseal-keys/vault-root"); // ready: 404, nothing stored yet
        requests.Should().OnlyContain(r => r.Header("X-Vault-Token") == central.RootToken.Reveal());
        _vault.Mounts.Should().Contain("secret", "kv-v2", "server mode has no secret/ mount; bank-vaults writes KV v2 paths there");
        _vault.Mounts.Should().Contain("transit", "transit");
        Body(requests[2]).GetProperty("type").GetString().Should().Be("aes256-gcm96");

        PolicyPaths(Body(requests[3]).GetProperty("policy").GetString()!).Should().BeEquivalentTo(new Dictionary<string, string[]>
        {
            ["transit/encrypt/autounseal"] = ["update"],
            ["transit/decrypt/autounseal"] = ["update"],
        });
        PolicyPaths(Body(requests[4]).GetProperty("policy").GetString()!).Should().BeEquivalentTo(new Dictionary<string, string[]>
        {
            ["secret/data/vault-unseal-keys/*"] = ["create", "read", "update"],
            ["secret/metadata/vault-unseal-keys/*"] = ["read", "list"],
        });

        var token = Body(requests[5]);
        token.GetProperty("policies").EnumerateArray().Select(p => p.GetString()).Should().Equal("multidc-autounseal", "multidc-unseal-keys");
        token.GetProperty("period").GetString().Should().Be("2764800s");
        token.GetProperty("no_default_policy").GetBoolean().Should().BeFalse("the default policy grants renew-self, which the transit seal uses");
        token.TryGetProperty("id", out _).Should().BeFalse("Vault chooses token IDs; a caller-chosen one with a dot is refused");
        central.TransitToken.Reveal().Should().StartWith("hvs.");
        central.UnsealKeysPath.Should().Be("secret/data/vault-unseal-keys");
    }

    [Fact]
    public async Task Every_fresh_start_removes_the_leftover_container_and_volume_and_gets_new_keys()
    {
        await using var first = await CentralVault.StartFreshAsync(_vault, Options, null, cancellationToken: Ct);
        await using var second = await CentralVault.StartFreshAsync(_vault, Options, null, cancellationToken: Ct);

        _vault.Removed.Should().Equal("multidc-s1-central-vault");
        _vault.Started.Should().HaveCount(2);
        second.RootToken.Should().NotBe(first.RootToken);
        second.State.UnsealKey.Should().NotBe(first.State.UnsealKey);
        _vault.Requests.Count(r => r.Path == "/v1/sys/init").Should().Be(2, "the second start met an empty volume");
    }

    [Fact]
    public async Task Attach_after_a_restart_unseals_with_the_recorded_key_and_never_starts_removes_or_reinitialises()
    {
        CentralVaultState state;
        await using (var original = await CentralVault.StartFreshAsync(_vault, Options, null, cancellationToken: Ct))
        {
            state = original.State;
        }

        await _vault.StopAsync("multidc-s1-central-vault", Ct);
        await _vault.RestartStoppedAsync("multidc-s1-central-vault", Ct); // `docker start` by a person
        _vault.Sealed.Should().BeTrue();
        var before = _vault.Requests.Count;

        await using var attached = await CentralVault.AttachAsync(_vault, Options, state, cancellationToken: Ct);

        attached.Reused.Should().BeTrue();
        attached.RootToken.Should().Be(state.RootToken);
        _vault.Sealed.Should().BeFalse();
        _vault.Started.Should().ContainSingle();
        _vault.Removed.Should().BeEmpty();
        var attachRequests = _vault.Requests.Skip(before).Select(r => $"{r.Method} {r.Path}").ToArray();
        attachRequests.Should().Contain("PUT /v1/sys/unseal").And.NotContain("PUT /v1/sys/init");
        JsonNode.Parse(_vault.Requests.Last(r => r.Path == "/v1/sys/unseal").Body)!["key"]!.GetValue<string>().Should().Be(state.UnsealKey.Reveal());
    }

    [Fact]
    public async Task Attach_to_a_stopped_container_fails_in_one_line_and_does_not_start_it()
    {
        var state = await StartAndForgetAsync();
        await _vault.StopAsync("multidc-s1-central-vault", Ct);

        var act = () => CentralVault.AttachAsync(_vault, Options, state, cancellationToken: Ct);

        var error = (await act.Should().ThrowAsync<CentralVaultUnavailableException>()).Which;
        error.Message.Should().Contain("is stopped").And.Contain("docker start multidc-s1-central-vault").And.NotContain("\n");
        _vault.Running.Should().BeFalse();
        _vault.Started.Should().ContainSingle();
    }

    [Fact]
    public async Task Attach_when_the_container_is_gone_fails_in_one_line_naming_down_and_up()
    {
        var state = await StartAndForgetAsync();
        await _vault.RemoveAsync("multidc-s1-central-vault", "multidc-s1-central-vault-data", Ct);

        var act = () => CentralVault.AttachAsync(_vault, Options, state, cancellationToken: Ct);

        (await act.Should().ThrowAsync<CentralVaultUnavailableException>())
            .WithMessage("*no longer exists*`multidc down`*`multidc up`*");
        _vault.Started.Should().ContainSingle();
    }

    [Fact]
    public async Task Attach_after_the_volume_is_gone_fails_in_one_line_and_never_initialises_a_new_kms()
    {
        var state = await StartAndForgetAsync();
        _vault.WipeStorage();
        await _vault.StopAsync("multidc-s1-central-vault", Ct);
        await _vault.RestartStoppedAsync("multidc-s1-central-vault", Ct);
        var initsBefore = _vault.Requests.Count(r => r.Path == "/v1/sys/init");

        var act = () => CentralVault.AttachAsync(_vault, Options, state, cancellationToken: Ct);

        var error = (await act.Should().ThrowAsync<CentralVaultUnavailableException>()).Which;
        error.Message.Should().Contain("uninitialised").And.Contain("multidc-s1-central-vault-data").And.Contain("is gone").And.NotContain("\n");
        _vault.Requests.Count(r => r.Path == "/v1/sys/init").Should().Be(initsBefore);
        _vault.Removed.Should().BeEmpty();
    }

    [Fact]
    public async Task Attach_with_a_key_that_does_not_open_it_fails_in_one_line()
    {
        var state = await StartAndForgetAsync();
        _vault.Seal();
        var wrongKey = state with { UnsealKey = new SecretValue(Convert.ToBase64String(new byte[32])) };

        var act = () => CentralVault.AttachAsync(_vault, Options, wrongKey, cancellationToken: Ct);

        (await act.Should().ThrowAsync<CentralVaultUnavailableException>()).WithMessage("*refuses the unseal key*");
    }

    [Fact]
    public async Task Attach_with_tokens_it_no_longer_accepts_fails_in_one_line_and_replaces_nothing()
    {
        var state = await StartAndForgetAsync();
        var stale = state with { TransitToken = new SecretValue(TestTokens.Named("staleTransitToken000000000000001")) };

        var act = () => CentralVault.AttachAsync(_vault, Options, stale, cancellationToken: Ct);

        (await act.Should().ThrowAsync<CentralVaultUnavailableException>()).WithMessage("*no longer accepts the in-cluster Vaults' transit token*");
        _vault.Removed.Should().BeEmpty();
        _vault.Started.Should().ContainSingle();
    }

    [Fact]
    public async Task Sealed_while_attached_is_unsealed_on_the_next_read()
    {
        await using var central = await CentralVault.StartFreshAsync(_vault, Options, null, cancellationToken: Ct);
        await StoreRootTokenAsBankVaultsDoesAsync(central);
        _vault.Seal();

        var token = await central.TryReadRootTokenAsync(Ct);

        token!.Reveal().Should().Be(StoredInClusterRootToken);
        _vault.Sealed.Should().BeFalse();
    }

    [Fact]
    public async Task Stop_and_start_again_keeps_the_address_and_the_data_and_unseals()
    {
        await using var central = await CentralVault.StartFreshAsync(_vault, Options, "172.18.255.100", cancellationToken: Ct);
        await StoreRootTokenAsBankVaultsDoesAsync(central);

        await central.StopAsync(Ct);
        _vault.Running.Should().BeFalse();
        await central.StartAgainAsync(Ct);

        _vault.Sealed.Should().BeFalse();
        central.InNetworkAddress.Should().Be(new Uri("http://172.18.255.100:8200"));
        (await central.ReadRootTokenAsync(Ct)).Reveal().Should().Be(StoredInClusterRootToken);
    }

    [Fact]
    public async Task Start_again_at_another_address_says_so_in_one_line_and_still_unseals()
    {
        await using var central = await CentralVault.StartFreshAsync(_vault, Options, "172.18.255.100", cancellationToken: Ct);
        await central.StopAsync(Ct);
        _vault.NetworkIp = "172.18.0.77";

        var act = () => central.StartAgainAsync(Ct);

        (await act.Should().ThrowAsync<CentralVaultUnavailableException>()).WithMessage("*came back at 172.18.0.77 instead of 172.18.255.100*");
        _vault.Sealed.Should().BeFalse("the harness can still read the root token from it");
    }

    [Fact]
    public async Task Stopping_a_central_vault_without_a_fixed_address_is_refused_in_one_line()
    {
        await using var central = await CentralVault.StartFreshAsync(_vault, Options, null, cancellationToken: Ct);

        var act = () => central.StopAsync(Ct);

        (await act.Should().ThrowAsync<CentralVaultUnavailableException>()).WithMessage("*no fixed address*MULTIDC_NETWORK_SUBNET*");
        _vault.Running.Should().BeTrue();
    }

    [Fact]
    public async Task Fresh_start_returns_only_after_the_new_kv_v2_mount_finished_upgrading()
    {
        _vault.KvUpgradeRequests = 3;
        await using var central = await CentralVault.StartFreshAsync(_vault, Options, null, cancellationToken: Ct);

        // bank-vaults' first write right after up must not meet "Upgrading from non-versioned to versioned data".
        await StoreRootTokenAsBankVaultsDoesAsync(central);
        _vault.Requests.Count(r => r.Path.StartsWith("/v1/secret/data/", StringComparison.Ordinal)).Should().Be(5, "three refused reads, one accepted read, then the write");
    }

    [Fact]
    public async Task Root_token_stored_by_bank_vaults_is_read_and_base64_decoded()
    {
        await using var central = await CentralVault.StartFreshAsync(_vault, Options, null, cancellationToken: Ct);
        await StoreRootTokenAsBankVaultsDoesAsync(central);

        var token = await central.ReadRootTokenAsync(Ct);

        token.Reveal().Should().Be(StoredInClusterRootToken);
        _vault.Requests.Last().Header("X-Vault-Token").Should().Be(central.RootToken.Reveal());
    }

    [Fact]
    public async Task Missing_root_token_says_bank_vaults_has_not_initialised_yet()
    {
        await using var central = await CentralVault.StartFreshAsync(_vault, Options, null, cancellationToken: Ct);

        (await central.TryReadRootTokenAsync(Ct)).Should().BeNull();
        var act = () => central.ReadRootTokenAsync(Ct);

        (await act.Should().ThrowAsync<InvalidOperationException>())
            .WithMessage("bank-vaults has not initialised the leader yet*secret/data/vault-unseal-keys/vault-root*");
    }

    [Fact]
    public async Task Vault_that_never_becomes_active_times_out_with_redacted_logs()
    {
        _vault.NeverActive = true;
        _vault.Logs = () => "root token: " + _vault.IssuedRootToken + "\nerror: something broke";
        var options = Options with { PollInterval = TimeSpan.FromSeconds(1), StartupTimeout = TimeSpan.FromSeconds(5) };
        await using var time = new VirtualTimeProvider();

        var act = () => CentralVault.StartFreshAsync(_vault, options, null, time, cancellationToken: Ct);

        var error = (await act.Should().ThrowAsync<TimeoutException>()).Which;
        error.Message.Should().Contain("multidc-s1-central-vault").And.Contain("did not become active after unseal within 5 s")
            .And.Contain("Sealed").And.Contain("error: something broke").And.NotContain(_vault.IssuedRootToken!);
    }

    [Theory]
    [InlineData("IPC_LOCK", "exec /bin/vault: operation not permitted")]
    [InlineData("SKIP_SETCAP", "unable to set CAP_SETFCAP")]
    [InlineData("disable_mlock", "Failed to lock memory")]
    public async Task Scripted_image_exits_like_the_real_one_when_a_required_setting_is_missing(string missing, string expectedLog)
    {
        var environment = new Dictionary<string, string>(CentralVaultServerConfig.Environment);
        var caps = CentralVaultServerConfig.Capabilities.ToList();
        switch (missing)
        {
            case "IPC_LOCK":
                caps.Clear();
                break;
            case "SKIP_SETCAP":
                environment.Remove("SKIP_SETCAP");
                break;
            default:
                environment["VAULT_LOCAL_CONFIG"] = CentralVaultServerConfig.Json.Replace("\"disable_mlock\":true", "\"disable_mlock\":false", StringComparison.Ordinal);
                break;
        }

        var spec = new CentralVaultContainerSpec(
            "c", "hashicorp/vault:2.0.2", "multidc", null, environment, CentralVaultServerConfig.Command, caps,
            new Dictionary<string, string>(), "v", CentralVaultServerConfig.DataPath);

        await _vault.StartAsync(spec, Ct);

        _vault.Running.Should().BeFalse();
        _vault.ExitReason.Should().Contain(expectedLog);
    }

    [Fact]
    public async Task Container_that_exits_fails_fast_with_its_logs()
    {
        var withoutCaps = new ScriptedHost(_vault);

        var act = () => CentralVault.StartFreshAsync(withoutCaps, Options, null, cancellationToken: Ct);

        (await act.Should().ThrowAsync<TimeoutException>()).WithMessage("*exited before it could answer on sys/health*operation not permitted*");
    }

    [Fact]
    public async Task Scripted_token_store_refuses_a_dotted_or_prefixed_custom_token_id_as_vault_does()
    {
        await using var central = await CentralVault.StartFreshAsync(_vault, Options, null, cancellationToken: Ct);
        using var http = new HttpClient { BaseAddress = _vault.BaseAddress };
        foreach (var id in new[] { "hvs.chosen", "s.chosen", "chosen.id" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/auth/token/create-orphan")
            {
                Content = new StringContent($$"""{"id":"{{id}}","policies":["default"]}""", Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("X-Vault-Token", central.RootToken.Reveal());
            using var response = await http.SendAsync(request, Ct);
            ((int)response.StatusCode).Should().Be(400, $"Vault refuses the custom token ID '{id}'");
        }
    }

    [Fact]
    public async Task Unusable_unseal_keys_path_fails_before_any_container_is_started()
    {
        var act = () => CentralVault.StartFreshAsync(_vault, Options with { UnsealKeysPath = "secret/vault-unseal-keys" }, null, cancellationToken: Ct);

        await act.Should().ThrowAsync<ArgumentException>();
        _vault.Started.Should().BeEmpty();
    }

    private async Task<CentralVaultState> StartAndForgetAsync()
    {
        await using var central = await CentralVault.StartFreshAsync(_vault, Options, null, cancellationToken: Ct);
        return central.State;
    }

    private static async Task StoreRootTokenAsBankVaultsDoesAsync(CentralVault central)
    {
        using var asInClusterVault = new VaultClient(new VaultClientOptions { Address = central.HostAddress, Token = central.TransitToken });
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(StoredInClusterRootToken));
        await asInClusterVault.WriteKvAsync("secret", "vault-unseal-keys/vault-root", new Dictionary<string, object?> { ["vault-root"] = encoded }, cancellationToken: Ct);
    }

    private IEnumerable<RecordedRequest> ConfigurationRequests() =>
        _vault.Requests.Where(r => r.Path is not ("/v1/sys/health" or "/v1/sys/init" or "/v1/sys/unseal"));

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

    /// <summary>Passes everything through but drops the capabilities, like a harness that forgot IPC_LOCK.</summary>
    private sealed class ScriptedHost(ScriptedCentralVault inner) : ICentralVaultContainerHost
    {
        public Task<CentralVaultContainerInfo?> FindRunningAsync(string name, CancellationToken cancellationToken) => inner.FindRunningAsync(name, cancellationToken);

        public Task<bool> ExistsAsync(string name, CancellationToken cancellationToken) => inner.ExistsAsync(name, cancellationToken);

        public Task<CentralVaultContainerInfo> StartAsync(CentralVaultContainerSpec spec, CancellationToken cancellationToken) =>
            inner.StartAsync(spec with { CapAdd = [] }, cancellationToken);

        public Task<CentralVaultContainerInfo> RestartStoppedAsync(string name, CancellationToken cancellationToken) => inner.RestartStoppedAsync(name, cancellationToken);

        public Task StopAsync(string name, CancellationToken cancellationToken) => inner.StopAsync(name, cancellationToken);

        public Task<CentralVaultRemoval> RemoveAsync(string name, string dataVolume, CancellationToken cancellationToken) => inner.RemoveAsync(name, dataVolume, cancellationToken);

        public Task<string> GetLogsAsync(string name, CancellationToken cancellationToken) => inner.GetLogsAsync(name, cancellationToken);
    }
}
