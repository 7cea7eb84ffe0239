using MultiDcVault.Harness.Clusters.Docker;
using System.Text;
using FluentAssertions;
using MultiDcVault.Harness.Components.Kms;
using MultiDcVault.Harness.Infrastructure.Vault;
using MultiDcVault.Harness.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace MultiDcVault.Harness.Tests.Infrastructure.Vault;

/// <summary>
/// The central Vault for real, through the harness's own Docker host: needs Docker and a local hashicorp/vault
/// image (no registry is contacted). Init, configuration, a restart that must be unsealed, and an attach.
/// </summary>
public sealed class CentralVaultDockerTests
{
    [Fact]
    [Trait("Category", "Docker")]
    public async Task Real_central_vault_survives_a_restart_and_the_in_cluster_token_has_only_its_narrow_rights()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var session = await DockerTestSession.StartAsync(ct);
        var image = await LocalVaultImage.FindAsync(ct);
        Assert.SkipWhen(
            image is null,
            "Skipped: no hashicorp/vault image is present locally (this test never pulls). " +
            "Run 'docker pull hashicorp/vault:2.0.4' or name a local image in MULTIDC_TEST_VAULT_IMAGE.");

        await using var created = await TestContainers.CreateNetworkAsync(session, "kms", dualStack: false, ct);
        var (network, ipv4) = (created.Name, created.Ipv4);
        using var connection = new DockerConnection();
        var host = new DockerCentralVaultHost(connection, network, publishOnLoopback: !OperatingSystem.IsLinux(), reapAfterCrash: true, NullLogger.Instance);
        var options = new CentralVaultOptions { Session = session.SessionId, Image = image!, Network = network };
        try
        {
            CentralVaultState state;
            await using (var central = await CentralVault.StartFreshAsync(host, options, ipv4.Subnet.Replace(".0/24", ".200", StringComparison.Ordinal), cancellationToken: ct))
            {
                (await central.TryReadRootTokenAsync(ct)).Should().BeNull("nothing has stored a root token yet");

                // Write exactly what bank-vaults writes, with the token the in-cluster Vaults get.
                using var asInClusterVault = new VaultClient(new VaultClientOptions { Address = central.HostAddress, Token = central.TransitToken });
                var stored = Convert.ToBase64String(Encoding.UTF8.GetBytes(TestTokens.Named("rootTokenOfTheInClusterVault000000")));
                await asInClusterVault.WriteKvAsync("secret", "vault-unseal-keys/vault-root", new Dictionary<string, object?> { ["vault-root"] = stored }, cancellationToken: ct);
                var outsideItsPath = () => asInClusterVault.WriteKvAsync("secret", "elsewhere", new Dictionary<string, object?> { ["x"] = "y" }, cancellationToken: ct);
                (await outsideItsPath.Should().ThrowAsync<VaultApiException>()).Which.IsPermissionDenied.Should().BeTrue();

                await central.StopAsync(ct);
                await central.StartAgainAsync(ct);
                (await central.ReadRootTokenAsync(ct)).Reveal().Should().Be(TestTokens.Named("rootTokenOfTheInClusterVault000000"));
                state = central.State;
            }

            await using var attached = await CentralVault.AttachAsync(host, options, state, cancellationToken: ct);
            attached.Reused.Should().BeTrue();
            (await attached.ReadRootTokenAsync(ct)).Reveal().Should().Be(TestTokens.Named("rootTokenOfTheInClusterVault000000"));
        }
        finally
        {
            await host.RemoveAsync(options.ContainerName, options.DataVolumeName, CancellationToken.None);
        }
    }
}
