using System.Text;
using FluentAssertions;
using MultiDcVault.Harness.Tests.TestSupport;
using MultiDcVault.Harness.Vault;
using Xunit;

namespace MultiDcVault.Harness.Tests.Vault;

/// <summary>The central Vault for real: needs Docker and a local hashicorp/vault image (no registry is contacted).</summary>
public sealed class CentralVaultDockerTests
{
    [Fact]
    [Trait("Category", "Docker")]
    public async Task Real_central_vault_is_configured_and_the_in_cluster_token_has_only_its_narrow_rights()
    {
        var ct = TestContext.Current.CancellationToken;
        var dockerProblem = await DockerCliCentralVaultHost.WhyDockerIsUnavailableAsync(ct);
        Assert.SkipWhen(dockerProblem is not null, $"Skipped: {dockerProblem}.");
        var image = await DockerCliCentralVaultHost.FindLocalVaultImageAsync(ct);
        Assert.SkipWhen(
            image is null,
            "Skipped: no hashicorp/vault image is present locally (this test never pulls). " +
            "Run 'docker pull hashicorp/vault:1.21.1' or name a local image in MULTIDC_TEST_VAULT_IMAGE.");

        var host = new DockerCliCentralVaultHost();
        var options = new CentralVaultOptions
        {
            Session = "vt" + Guid.NewGuid().ToString("N")[..8],
            Image = image!,
            Network = "bridge",
        };
        try
        {
            await using var central = await CentralVault.ReuseOrStartAsync(host, options, cancellationToken: ct);

            (await central.TryReadRootTokenAsync(ct)).Should().BeNull("nothing has stored a root token yet");

            // Write exactly what bank-vaults writes, with the token the in-cluster Vaults get.
            using var asInClusterVault = new VaultClient(new VaultClientOptions { Address = central.HostAddress, Token = central.TransitToken });
            var stored = Convert.ToBase64String(Encoding.UTF8.GetBytes(TestTokens.Named("rootTokenOfTheInClusterVault000000")));
            await asInClusterVault.WriteKvAsync("secret", "vault-unseal-keys/vault-root", new Dictionary<string, object?> { ["vault-root"] = stored }, cancellationToken: ct);

            (await central.ReadRootTokenAsync(ct)).Reveal().Should().Be(TestTokens.Named("rootTokenOfTheInClusterVault000000"));

            var outsideItsPath = () => asInClusterVault.WriteKvAsync("secret", "elsewhere", new Dictionary<string, object?> { ["x"] = "y" }, cancellationToken: ct);
            (await outsideItsPath.Should().ThrowAsync<VaultApiException>()).Which.IsPermissionDenied.Should().BeTrue();
        }
        finally
        {
            await host.RemoveAsync(options.ContainerName, CancellationToken.None);
        }
    }
}
